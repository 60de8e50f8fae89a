namespace ProjectExports.Benchmarks.Counting;

/// <summary>
/// A response body that hands every byte read through it to a <see cref="QueryPageRowCounter"/> and reports rows as
/// they pass, so they are counted whenever the reader lets the body go.
/// </summary>
internal sealed class CountingReadStream(Stream inner, Action<long> onRows) : Stream
{
    private readonly QueryPageRowCounter _counter = new();

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer) => Counted(buffer, inner.Read(buffer));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        return Counted(buffer.Span, read);
    }

    private int Counted(ReadOnlySpan<byte> buffer, int read)
    {
        var before = _counter.Rows;
        _counter.Add(buffer[..read]);
        if (_counter.Rows > before) onRows(_counter.Rows - before);
        return read;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
