using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;

namespace ProjectExports.Exports;

/// <summary>What a committed export file is: recorded as blob metadata so a redelivered message can finish the record from it.</summary>
public sealed record CommittedExport(long SizeBytes, string Sha256, DateTimeOffset CompletedAt)
{
    private const string SizeKey = "sizebytes";
    private const string ShaKey = "sha256";
    private const string CompletedKey = "completedat";

    public IDictionary<string, string> ToMetadata() => new Dictionary<string, string>
    {
        [SizeKey] = SizeBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        [ShaKey] = Sha256,
        [CompletedKey] = CompletedAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
    };

    public static CommittedExport? FromMetadata(IDictionary<string, string> metadata) =>
        metadata.TryGetValue(SizeKey, out var size) && metadata.TryGetValue(ShaKey, out var sha) && metadata.TryGetValue(CompletedKey, out var completed)
            ? new CommittedExport(long.Parse(size, System.Globalization.CultureInfo.InvariantCulture), sha,
                DateTimeOffset.Parse(completed, System.Globalization.CultureInfo.InvariantCulture))
            : null;
}

/// <summary>
/// A write-only stream into a block blob: counts and hashes every byte, stages fixed-size blocks as they fill
/// (a few in flight at once), and stops with <see cref="ExportTooLargeException"/> at the first byte past the limit.
/// Nothing is visible until <see cref="CommitAsync"/>: a failed or oversized export leaves no blob, only uncommitted
/// blocks that the service discards. A document that fits in one block is never staged: it goes up whole in one
/// request at commit, since most projects' exports are that small.
/// </summary>
public sealed class ExportBlobStream : Stream
{
    internal const int BlockBytes = 1024 * 1024;
    internal const int MaxBlocksInFlight = 4;

    /// <summary>The first buffer's size: most documents fit, and it stays out of the large object heap when the pool has none.</summary>
    internal const int FirstBufferBytes = 64 * 1024;

    private readonly BlockBlobClient _blob;
    private readonly long _limit;
    private readonly string _contentType;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly string _runId = Guid.NewGuid().ToString("N");
    private readonly List<string> _blockIds = [];
    private readonly Queue<Task> _inFlight = new();
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(FirstBufferBytes);
    private int _buffered;
    private long _length;

    public ExportBlobStream(BlockBlobClient blob, long limitBytes, string contentType = "application/json")
    {
        _blob = blob;
        _limit = limitBytes;
        _contentType = contentType;
    }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => _length;
    public override long Position { get => _length; set => throw new NotSupportedException(); }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_length + buffer.Length > _limit)
        {
            throw new ExportTooLargeException(_limit);
        }
        _length += buffer.Length;
        _hash.AppendData(buffer.Span);
        while (!buffer.IsEmpty)
        {
            var take = Math.Min(buffer.Length, BlockBytes - _buffered);
            if (_buffered + take > _buffer.Length)
            {
                GrowBuffer();
            }
            buffer[..take].CopyTo(_buffer.AsMemory(_buffered));
            _buffered += take;
            buffer = buffer[take..];
            if (_buffered == BlockBytes)
            {
                await StageBufferAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("ExportBlobStream is written asynchronously only.");

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Flush()
    {
    }

    /// <summary>
    /// Stages what is left and commits the blob, unless one already exists (another delivery of the same message
    /// got there first): then nothing is changed and null is returned.
    /// </summary>
    public async Task<CommittedExport?> CommitAsync(DateTimeOffset completedAt, CancellationToken cancellationToken)
    {
        var whole = _blockIds.Count == 0;
        if (_buffered > 0 && !whole)
        {
            await StageBufferAsync(cancellationToken).ConfigureAwait(false);
        }
        while (_inFlight.Count > 0)
        {
            await _inFlight.Dequeue().ConfigureAwait(false);
        }
        var committed = new CommittedExport(_length, Convert.ToHexStringLower(_hash.GetHashAndReset()), completedAt);
        var headers = new BlobHttpHeaders { ContentType = _contentType };
        var onlyIfNew = new BlobRequestConditions { IfNoneMatch = ETag.All };
        try
        {
            if (whole)
            {
                using var content = new MemoryStream(_buffer, 0, _buffered, writable: false);
                await _blob.UploadAsync(content, new BlobUploadOptions { HttpHeaders = headers, Metadata = committed.ToMetadata(), Conditions = onlyIfNew },
                    cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await _blob.CommitBlockListAsync(_blockIds, new CommitBlockListOptions { HttpHeaders = headers, Metadata = committed.ToMetadata(), Conditions = onlyIfNew },
                    cancellationToken).ConfigureAwait(false);
            }
            return committed;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return null;
        }
    }

    /// <summary>A document larger than the first buffer goes on in block-sized ones.</summary>
    private void GrowBuffer()
    {
        var larger = ArrayPool<byte>.Shared.Rent(BlockBytes);
        _buffer.AsSpan(0, _buffered).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = larger;
    }

    private async Task StageBufferAsync(CancellationToken cancellationToken)
    {
        if (_inFlight.Count >= MaxBlocksInFlight)
        {
            await _inFlight.Dequeue().ConfigureAwait(false);
        }
        // Block ids are unique per run, so two deliveries building at once never mix their blocks.
        var blockId = Convert.ToBase64String(Encoding.ASCII.GetBytes($"{_runId}{_blockIds.Count:D6}"));
        _blockIds.Add(blockId);
        var block = _buffer;
        var length = _buffered;
        _buffer = ArrayPool<byte>.Shared.Rent(BlockBytes);
        _buffered = 0;
        _inFlight.Enqueue(StageAsync(blockId, block, length, cancellationToken));
    }

    private async Task StageAsync(string blockId, byte[] block, int length, CancellationToken cancellationToken)
    {
        try
        {
            using var content = new MemoryStream(block, 0, length, writable: false);
            await _blob.StageBlockAsync(blockId, content, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(block);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        while (_inFlight.Count > 0)
        {
            try
            {
                await _inFlight.Dequeue().ConfigureAwait(false);
            }
            catch (Exception)
            {
                // The build has already failed; its own exception is the one that matters.
            }
        }
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
        _hash.Dispose();
        await base.DisposeAsync().ConfigureAwait(false);
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
