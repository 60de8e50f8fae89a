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
        BinaryData stored;
        try
        {
            stored = (await blob.DownloadContentAsync(cancellationToken).ConfigureAwait(false)).Value.Content;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize(stored.ToMemory().Span, typeInfo) ?? throw new StoredDataException($"The stored {what} {blob.Name} holds null.");
        }
        catch (JsonException e)
        {
            throw new StoredDataException($"The stored {what} {blob.Name} is not a readable {what}: {e.Message}", e);
        }
    }

    /// <summary>How the document and the plan go up: JSON, in 1 MiB blocks so each call fits the request deadline (Storage:Requests) on a slower link too.</summary>
    public static BlobUploadOptions JsonUpload() => new()
    {
        HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" },
        TransferOptions = new StorageTransferOptions { InitialTransferSize = 1024 * 1024, MaximumTransferSize = 1024 * 1024, MaximumConcurrency = 4 },
    };
}
