using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using ProjectExports.Storage;

namespace ProjectExports.Imports;

/// <summary>
/// Keeps an import's <see cref="ImportSnapshot"/> in its blob folder, with its document and plan (same retention).
/// Written once: a delivery that finds one stored uses it, because after a partial run the rows no longer show
/// what was there before.
/// </summary>
public sealed class ImportSnapshotStore(StorageClients clients)
{
    private BlobContainerClient Container => clients.Blobs.GetBlobContainerClient(StorageNames.ImportContainer);

    /// <summary>Stores the snapshot unless one is stored already, and returns the one that is stored now.</summary>
    public async Task<ImportSnapshot> SaveOnceAsync(string projectId, string importId, ImportSnapshot snapshot, CancellationToken cancellationToken)
    {
        var upload = ImportBlobs.JsonUpload();
        upload.Conditions = new Azure.Storage.Blobs.Models.BlobRequestConditions { IfNoneMatch = ETag.All };
        try
        {
            await Container.GetBlobClient(ImportBlobs.Snapshot(projectId, importId)).UploadAsync(
                BinaryData.FromBytes(JsonSerializer.SerializeToUtf8Bytes(snapshot, ImportSnapshotJsonContext.Default.ImportSnapshot)),
                upload, cancellationToken).ConfigureAwait(false);
            return snapshot;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            // Another delivery of the same job stored its snapshot first; from now on that one is the truth.
            return await LoadAsync(projectId, importId, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"The snapshot of import {importId} was there, then gone.", e);
        }
    }

    /// <returns>Null when the import has no snapshot (it wrote nothing yet, or was accepted by an earlier version).</returns>
    /// <exception cref="StoredDataException">The stored snapshot cannot be read.</exception>
    public Task<ImportSnapshot?> LoadAsync(string projectId, string importId, CancellationToken cancellationToken) =>
        ImportBlobs.ReadJsonAsync(Container.GetBlobClient(ImportBlobs.Snapshot(projectId, importId)), ImportSnapshotJsonContext.Default.ImportSnapshot, "import snapshot", cancellationToken);
}
