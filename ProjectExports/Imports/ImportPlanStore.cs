using Azure.Storage.Blobs;
using ProjectExports.Http;
using ProjectExports.Imports.Review;
using ProjectExports.Storage;

namespace ProjectExports.Imports;

/// <summary>
/// Keeps the plan an import was accepted with (and its review, for download), next to its document: saved before the record and its queue message
/// exist, so every delivery of the apply step finds it and applies the same writes.
/// </summary>
public sealed class ImportPlanStore(StorageClients clients)
{
    private BlobContainerClient Container => clients.Blobs.GetBlobContainerClient(StorageNames.ImportContainer);

    public async Task SaveAsync(string projectId, string importId, ImportPlan plan, CancellationToken cancellationToken)
    {
        await ImportBlobs.UploadCompressedAsync(Container.GetBlobClient(ImportBlobs.Plan(projectId, importId)), plan.Stored
            ?? throw new InvalidOperationException("The plan has no stored form: make it with ImportRequests.DryRunAsync for an import."), "application/octet-stream", conditions: null, cancellationToken).ConfigureAwait(false);
        await ImportBlobs.UploadCompressedAsync(Container.GetBlobClient(ImportBlobs.Review(projectId, importId)), plan.StoredReview
            ?? throw new InvalidOperationException("The plan has no stored review: make it with ImportRequests.DryRunAsync for an import."), "application/json", conditions: null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The reviewed plan's JSON as it downloads, to stream to a caller; null when the import has none.</summary>
    public Task<Stream?> OpenReviewAsync(string projectId, string importId, CancellationToken cancellationToken) =>
        ImportBlobs.OpenAsync(Container.GetBlobClient(ImportBlobs.Review(projectId, importId)), cancellationToken);

    /// <returns>Null when the import has no stored plan.</returns>
    /// <exception cref="StoredDataException">The stored plan cannot be read.</exception>
    public async Task<ImportPlan?> LoadAsync(string projectId, string importId, CancellationToken cancellationToken)
    {
        var blob = Container.GetBlobClient(ImportBlobs.Plan(projectId, importId));
        if (await ImportBlobs.OpenAsync(blob, cancellationToken).ConfigureAwait(false) is not { } stored) return null;
        return await ImportPlanFormat.ReadAsync(stored, blob.Name, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The stored plan's header, its rows to read partition by partition as they download (<see cref="ImportPlanFormat.OpenAsync"/>).</summary>
    /// <inheritdoc cref="LoadAsync(string, string, CancellationToken)"/>
    public async Task<ImportPlanRuns?> OpenAsync(string projectId, string importId, CancellationToken cancellationToken)
    {
        var blob = Container.GetBlobClient(ImportBlobs.Plan(projectId, importId));
        if (await ImportBlobs.OpenAsync(blob, cancellationToken).ConfigureAwait(false) is not { } stored) return null;
        return await ImportPlanFormat.OpenAsync(stored, blob.Name, cancellationToken).ConfigureAwait(false);
    }
}
