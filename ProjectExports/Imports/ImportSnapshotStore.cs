using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using ProjectExports.Projects;
using ProjectExports.Storage;

namespace ProjectExports.Imports;

/// <summary>
/// Keeps an import's <see cref="ImportSnapshot"/> in its blob folder, with its document and plan (same retention).
/// Written once: a delivery that finds one stored uses it, because after a partial run the rows no longer show
/// what was there before. An import's snapshot is stored as the rows that were there before its first write; its plan
/// holds the rest.
/// </summary>
public sealed class ImportSnapshotStore(StorageClients clients, ImportPlanStore plans)
{
    private BlobContainerClient Container => clients.Blobs.GetBlobContainerClient(StorageNames.ImportContainer);

    /// <summary>
    /// Stores the snapshot unless one is stored already, and returns the one that is stored now (an import's joined
    /// with <paramref name="planRows"/>, its plan's rows, as <see cref="LoadAsync(string, string, IEnumerable{ProjectRow}?, CancellationToken)"/> does).
    /// </summary>
    public async Task<ImportSnapshot> SaveOnceAsync(
        string projectId, string importId, ImportSnapshot snapshot, IEnumerable<ProjectRow>? planRows, CancellationToken cancellationToken)
    {
        var upload = ImportBlobs.JsonUpload();
        upload.Conditions = new Azure.Storage.Blobs.Models.BlobRequestConditions { IfNoneMatch = ETag.All };
        try
        {
            await Container.GetBlobClient(ImportBlobs.Snapshot(projectId, importId)).UploadAsync(
                BinaryData.FromBytes(JsonSerializer.SerializeToUtf8Bytes(Stored(snapshot), ImportSnapshotJsonContext.Default.ImportSnapshot)),
                upload, cancellationToken).ConfigureAwait(false);
            return snapshot;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            // Another delivery of the same job stored its snapshot first; from now on that one is the truth.
            return await LoadAsync(projectId, importId, planRows, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"The snapshot of import {importId} was there, then gone.", e);
        }
    }

    /// <returns>Null when the import has no snapshot (it wrote nothing yet, or was accepted by an earlier version).</returns>
    /// <exception cref="StoredDataException">The stored snapshot, or the plan it takes its rows as written from, cannot be read.</exception>
    public Task<ImportSnapshot?> LoadAsync(string projectId, string importId, CancellationToken cancellationToken) =>
        LoadAsync(projectId, importId, null, cancellationToken);

    /// <summary>
    /// The stored snapshot, an import's joined with <paramref name="planRows"/> when the caller holds its plan's rows
    /// already (the apply step, redelivered), so a large plan is not loaded a second time.
    /// </summary>
    /// <inheritdoc cref="LoadAsync(string, string, CancellationToken)"/>
    public async Task<ImportSnapshot?> LoadAsync(string projectId, string importId, IEnumerable<ProjectRow>? planRows, CancellationToken cancellationToken)
    {
        var blob = Container.GetBlobClient(ImportBlobs.Snapshot(projectId, importId));
        var snapshot = await ImportBlobs.ReadJsonAsync(blob, ImportSnapshotJsonContext.Default.ImportSnapshot, "import snapshot", cancellationToken).ConfigureAwait(false);
        if (snapshot is not { AfterInPlan: true }) return snapshot;
        planRows ??= (await plans.LoadAsync(projectId, importId, cancellationToken).ConfigureAwait(false)
            ?? throw new StoredDataException($"The stored import snapshot {blob.Name} takes its rows as written from the import's plan, which is gone.")).Rows;
        var befores = snapshot.Rows.ToDictionary(r => r.Key, r => r.Before!); // an import's stored rows all have one
        var restored = ImportSnapshot.Of(planRows, befores);
        if (befores.Keys.Except(restored.Keys).FirstOrDefault() is { PartitionKey: not null } stray)
        {
            throw new StoredDataException($"The stored import snapshot {blob.Name} holds row {stray.PartitionKey}/{stray.RowKey}, which its plan does not change.");
        }
        restored.AfterInPlan = true;
        return restored;
    }

    /// <summary>Whether the import stored its snapshot (and so may have begun writing), without loading it.</summary>
    public async Task<bool> ExistsAsync(string projectId, string importId, CancellationToken cancellationToken) =>
        (await Container.GetBlobClient(ImportBlobs.Snapshot(projectId, importId)).ExistsAsync(cancellationToken).ConfigureAwait(false)).Value;

    /// <summary>
    /// The snapshot as stored. An import's keeps only the rows that were there before, without the rows as written:
    /// its plan holds those, and the snapshot is made again from the two (<see cref="ImportSnapshot.Of"/>) on load.
    /// </summary>
    private static ImportSnapshot Stored(ImportSnapshot snapshot) => !snapshot.AfterInPlan ? snapshot : new ImportSnapshot
    {
        AfterInPlan = true,
        Rows = snapshot.Rows.Where(r => r.Before is not null).Select(r => new ImportSnapshotRow { Partition = r.Partition, Row = r.Row, Before = r.Before }).ToList(),
    };
}
