using System.Collections.Concurrent;
using System.Security.Cryptography;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;
using ProjectExports.Exports;
using ProjectExports.Storage;
using ProjectExports.Tests.Infrastructure;

namespace ProjectExports.Tests.Exports;

/// <summary>The export file's upload against Azurite, with every request the blob client sends counted.</summary>
public sealed class ExportBlobStreamTests(LocalHostFixture host) : IClassFixture<LocalHostFixture>
{
    private sealed class RequestLog : HttpPipelineSynchronousPolicy
    {
        public ConcurrentQueue<string> Requests { get; } = new();

        public override void OnSendingRequest(HttpMessage message)
        {
            var query = message.Request.Uri.Query;
            var comp = query.Contains("comp=block&", StringComparison.Ordinal) || query.EndsWith("comp=block", StringComparison.Ordinal) ? " block"
                : query.Contains("comp=blocklist", StringComparison.Ordinal) ? " blocklist" : "";
            Requests.Enqueue(message.Request.Method + comp);
        }
    }

    private (BlockBlobClient Blob, RequestLog Log) NewBlob()
    {
        var log = new RequestLog();
        var options = new BlobClientOptions();
        options.AddPolicy(log, HttpPipelinePosition.PerCall);
        var container = new BlobContainerClient(host.StorageConnectionString, StorageNames.ExportContainer, options);
        return (container.GetBlockBlobClient($"stream-tests/{Guid.NewGuid():N}.json"), log);
    }

    private static byte[] Document(int bytes) => RandomNumberGenerator.GetBytes(bytes);

    private static async Task<CommittedExport?> WriteAsync(BlockBlobClient blob, byte[] document)
    {
        await using var stream = new ExportBlobStream(blob, limitBytes: 10_000_000);
        // In pieces, as the document writer flushes.
        for (var offset = 0; offset < document.Length; offset += 16_384)
        {
            await stream.WriteAsync(document.AsMemory(offset, Math.Min(16_384, document.Length - offset)));
        }
        return await stream.CommitAsync(DateTimeOffset.UnixEpoch, CancellationToken.None);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(48_000)]
    [InlineData(ExportBlobStream.BlockBytes - 1)]
    public async Task A_document_that_fits_in_one_block_goes_up_in_one_request(int size)
    {
        var (blob, log) = NewBlob();
        var document = Document(size);

        var committed = await WriteAsync(blob, document);

        Assert.Equal(["PUT"], log.Requests);
        Assert.Equal(document, (await blob.DownloadContentAsync()).Value.Content.ToArray());
        var properties = (await blob.GetPropertiesAsync()).Value;
        Assert.Equal("application/json", properties.ContentType);
        Assert.Equal(committed, CommittedExport.FromMetadata(properties.Metadata));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(document)), committed!.Sha256);
    }

    [Fact]
    public async Task A_larger_document_is_staged_in_blocks_and_committed_once()
    {
        var (blob, log) = NewBlob();
        var document = Document(2 * ExportBlobStream.BlockBytes + 10);

        var committed = await WriteAsync(blob, document);

        Assert.Equal(["PUT block", "PUT block", "PUT block", "PUT blocklist"], log.Requests.Order());
        Assert.Equal(document, (await blob.DownloadContentAsync()).Value.Content.ToArray());
        Assert.Equal(committed, CommittedExport.FromMetadata((await blob.GetPropertiesAsync()).Value.Metadata));
    }

    [Theory]
    [InlineData(1_000)]
    [InlineData(ExportBlobStream.BlockBytes + 1)]
    public async Task An_existing_file_is_never_replaced(int size)
    {
        var (blob, _) = NewBlob();
        var first = Document(size);
        Assert.NotNull(await WriteAsync(blob, first));

        Assert.Null(await WriteAsync(blob, Document(size)));

        Assert.Equal(first, (await blob.DownloadContentAsync()).Value.Content.ToArray());
    }
}
