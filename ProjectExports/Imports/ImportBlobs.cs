using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Azure;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using ProjectExports.Storage;

namespace ProjectExports.Imports;

/// <summary>The blobs of an import (the document as validated, the plan made from it when it was accepted and that plan as reviewed, the snapshot taken before its first write): their names and how they go up.</summary>
public static class ImportBlobs
{
    public static string Document(string projectId, string importId) => $"{projectId}/{importId}.json";

    /// <summary>The plan, as <see cref="ImportPlanFormat"/> stores it.</summary>
    public static string Plan(string projectId, string importId) => $"{projectId}/{importId}.plan";

    /// <summary>The reviewed plan, every entry (<see cref="Review.ImportPlanReview"/>): what GET …/plan downloads.</summary>
    public static string Review(string projectId, string importId) => $"{projectId}/{importId}.review.json";

    /// <summary>The rows the import (or revert) writes, as they were before its first write and as it writes them (<see cref="ImportSnapshot"/>).</summary>
    public static string Snapshot(string projectId, string importId) => $"{projectId}/{importId}.snapshot.json";

    /// <summary>Reads one of an import's JSON blobs (<paramref name="what"/> names it in errors); null when it is not there.</summary>
    /// <exception cref="StoredDataException">The blob is there but is not a readable <paramref name="what"/>.</exception>
    public static async Task<T?> ReadJsonAsync<T>(BlobClient blob, JsonTypeInfo<T> typeInfo, string what, CancellationToken cancellationToken)
        where T : class
    {
        if (await OpenAsync(blob, cancellationToken).ConfigureAwait(false) is not { } stored) return null;
        await using (stored.ConfigureAwait(false))
        {
            try
            {
                return await JsonSerializer.DeserializeAsync(stored, typeInfo, cancellationToken).ConfigureAwait(false)
                    ?? throw new StoredDataException($"The stored {what} {blob.Name} holds null.");
            }
            catch (Exception e) when (e is JsonException or InvalidDataException)
            {
                // InvalidDataException: a blob said to be gzip that is not.
                throw new StoredDataException($"The stored {what} {blob.Name} is not a readable {what}: {e.Message}", e);
            }
        }
    }

    /// <summary>
    /// The blob's content as it downloads, decompressed when it says it is gzip (Content-Encoding): read as it arrives,
    /// never all held as bytes first. Null when there is no such blob.
    /// </summary>
    public static async Task<Stream?> OpenAsync(BlobClient blob, CancellationToken cancellationToken)
    {
        try
        {
            var download = (await blob.DownloadStreamingAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
            return download.Details.ContentEncoding == GZip ? new GZipStream(download.Content, CompressionMode.Decompress) : download.Content;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    private const string GZip = "gzip";

    /// <summary>Bytes gzip-compressed (fastest), to upload with <see cref="UploadCompressedAsync"/>.</summary>
    public static BinaryData Compress(ReadOnlySpan<byte> bytes)
    {
        var compressed = new MemoryStream(bytes.Length / 8); // JSON documents shrink about tenfold
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(bytes);
        }
        return new BinaryData(compressed.GetBuffer().AsMemory(0, (int)compressed.Length));
    }

    /// <summary>Uploads gzip-compressed bytes saying so (Content-Encoding), so <see cref="OpenAsync"/> decompresses them.</summary>
    public static async Task UploadCompressedAsync(
        BlobClient blob, BinaryData compressed, string contentType, BlobRequestConditions? conditions, CancellationToken cancellationToken)
    {
        var upload = JsonUpload();
        upload.HttpHeaders.ContentType = contentType;
        upload.HttpHeaders.ContentEncoding = GZip;
        upload.Conditions = conditions;
        await blob.UploadAsync(compressed, upload, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Uploads a model as gzip-compressed JSON (Content-Encoding, so <see cref="OpenAsync"/> and <see cref="ReadJsonAsync"/>
    /// decompress it), serialized into the compression as it goes. Serialized to bytes first, a large review or snapshot
    /// grew the shared pool's buffers to megabytes, which the pool then kept on every thread that had returned one.
    /// </summary>
    public static async Task UploadJsonAsync<T>(BlobClient blob, T value, JsonTypeInfo<T> typeInfo, BlobRequestConditions? conditions, CancellationToken cancellationToken)
    {
        var compressed = new MemoryStream();
        var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true);
        await using (gzip.ConfigureAwait(false))
        {
            await JsonSerializer.SerializeAsync(gzip, value, typeInfo, cancellationToken).ConfigureAwait(false);
        }
        await UploadCompressedAsync(blob, new BinaryData(compressed.GetBuffer().AsMemory(0, (int)compressed.Length)), "application/json",
            conditions, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>How the document and the plan go up: JSON, in 1 MiB blocks so each call fits the request deadline (Storage:Requests) on a slower link too.</summary>
    public static BlobUploadOptions JsonUpload() => new()
    {
        HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" },
        TransferOptions = new StorageTransferOptions { InitialTransferSize = 1024 * 1024, MaximumTransferSize = 1024 * 1024, MaximumConcurrency = 4 },
    };
}
