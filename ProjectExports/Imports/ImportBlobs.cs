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

    public static string Plan(string projectId, string importId) => $"{projectId}/{importId}.plan.json";

    /// <summary>The reviewed plan, every entry (<see cref="Review.ImportPlanReview"/>): what GET …/plan downloads.</summary>
    public static string Review(string projectId, string importId) => $"{projectId}/{importId}.review.json";

    /// <summary>The rows the import (or revert) writes, as they were before its first write and as it writes them (<see cref="ImportSnapshot"/>).</summary>
    public static string Snapshot(string projectId, string importId) => $"{projectId}/{importId}.snapshot.json";

    /// <summary>Reads one of an import's JSON blobs (<paramref name="what"/> names it in errors); null when it is not there.</summary>
    /// <exception cref="StoredDataException">The blob is there but is not a readable <paramref name="what"/>.</exception>
    public static async Task<T?> ReadJsonAsync<T>(BlobClient blob, JsonTypeInfo<T> typeInfo, string what, CancellationToken cancellationToken)
        where T : class
    {
        Stream stored;
        try
        {
            var download = (await blob.DownloadStreamingAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
            stored = download.Details.ContentEncoding == GZip ? new GZipStream(download.Content, CompressionMode.Decompress) : download.Content;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
        // Parsed as it arrives: a plan's rows are read while the rest downloads, and never all held as bytes first.
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

    private const string GZip = "gzip";

    /// <summary>
    /// <paramref name="value"/> as JSON compressed with gzip, for <see cref="UploadCompressedJsonAsync"/>: for the plan,
    /// whose rows repeat the same property names thousands of times, about a tenth of the bytes to hold, to store and to
    /// download when the import is applied. Exceptions of what <paramref name="value"/> enumerates go to the caller.
    /// Serialized asynchronously because that path flushes as it goes: the synchronous one gathers the whole JSON in
    /// one buffer from the shared pool, which then keeps it.
    /// </summary>
    public static async Task<BinaryData> CompressJsonAsync<T>(T value, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        var compressed = new MemoryStream();
        await using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            await JsonSerializer.SerializeAsync(gzip, value, typeInfo, cancellationToken).ConfigureAwait(false);
        }
        return new BinaryData(compressed.GetBuffer().AsMemory(0, (int)compressed.Length));
    }

    /// <summary>Uploads JSON compressed by <see cref="CompressJsonAsync"/>, saying so (Content-Encoding), so <see cref="ReadJsonAsync"/> reads it back.</summary>
    public static async Task UploadCompressedJsonAsync(BlobClient blob, BinaryData compressed, CancellationToken cancellationToken)
    {
        var upload = JsonUpload();
        upload.HttpHeaders.ContentEncoding = GZip;
        await blob.UploadAsync(compressed, upload, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>How the document and the plan go up: JSON, in 1 MiB blocks so each call fits the request deadline (Storage:Requests) on a slower link too.</summary>
    public static BlobUploadOptions JsonUpload() => new()
    {
        HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" },
        TransferOptions = new StorageTransferOptions { InitialTransferSize = 1024 * 1024, MaximumTransferSize = 1024 * 1024, MaximumConcurrency = 4 },
    };
}
