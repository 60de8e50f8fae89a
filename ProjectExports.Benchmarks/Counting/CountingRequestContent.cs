using Azure.Core;

namespace ProjectExports.Benchmarks.Counting;

/// <summary>
/// A transaction's body that counts its operations as the transport writes it, so it is neither buffered nor
/// serialized twice. A retry writes it again; the first complete write is the one counted.
/// </summary>
internal sealed class CountingRequestContent(RequestContent inner, string table) : RequestContent
{
    private long? _operations;

    /// <summary>The operations on the table, once the body has been written.</summary>
    public long? Operations => _operations;

    public override void WriteTo(Stream stream, CancellationToken cancellationToken)
    {
        var counting = new CountingWriteStream(stream, new BatchOperationCounter(table));
        inner.WriteTo(counting, cancellationToken);
        _operations ??= counting.Counter.Operations;
    }

    public override async Task WriteToAsync(Stream stream, CancellationToken cancellationToken)
    {
        var counting = new CountingWriteStream(stream, new BatchOperationCounter(table));
        await inner.WriteToAsync(counting, cancellationToken).ConfigureAwait(false);
        _operations ??= counting.Counter.Operations;
    }

    public override bool TryComputeLength(out long length) => inner.TryComputeLength(out length);

    public override void Dispose() => inner.Dispose();

    /// <summary>Passes writes on to the transport's stream, showing them to the counter on the way.</summary>
    private sealed class CountingWriteStream(Stream target, BatchOperationCounter counter) : Stream
    {
        public BatchOperationCounter Counter => counter;

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            counter.Add(buffer);
            target.Write(buffer);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            counter.Add(buffer.Span);
            return target.WriteAsync(buffer, cancellationToken);
        }

        public override void Flush() => target.Flush();
        public override Task FlushAsync(CancellationToken cancellationToken) => target.FlushAsync(cancellationToken);
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
