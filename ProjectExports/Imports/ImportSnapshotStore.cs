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

    /// <summary>Stores a revert's snapshot unless one is stored already, and returns the one that is stored now.</summary>
    public async Task<ImportSnapshot> SaveOnceAsync(string projectId, string importId, ImportSnapshot snapshot, CancellationToken cancellationToken) =>
        await TryStoreAsync(projectId, importId, snapshot, cancellationToken).ConfigureAwait(false)
            ? snapshot
            : await LoadAsync(projectId, importId, cancellationToken).ConfigureAwait(false) ?? throw Vanished(importId);

    /// <summary>
    /// Stores an import's snapshot as the rows stored at its plan's keys before its first write (<paramref name="befores"/>;
    /// a key without a row is left out) unless one is stored already, and returns the "before" stored now. Rows already
    /// as the plan writes them are kept too, so a revert knows they were there.
    /// </summary>
    public async Task<IReadOnlyDictionary<ProjectRowKey, byte[]>> SaveBeforesOnceAsync(
        string projectId, string importId, IReadOnlyDictionary<ProjectRowKey, byte[]> befores, CancellationToken cancellationToken)
    {
        var snapshot = new ImportSnapshot
        {
            AfterInPlan = true,
            Rows = [.. befores.Select(b => new ImportSnapshotRow { Partition = b.Key.PartitionKey, Row = b.Key.RowKey, Before = b.Value })],
        };
        if (await TryStoreAsync(projectId, importId, snapshot, cancellationToken).ConfigureAwait(false)) return befores;
        var blob = Blob(projectId, importId);
        return Befores(await ReadStoredAsync(blob, cancellationToken).ConfigureAwait(false) ?? throw Vanished(importId), blob.Name);
    }

    /// <summary>Stores the snapshot if none is; false when another delivery of the same job stored its own first, which from then on is the truth.</summary>
    private async Task<bool> TryStoreAsync(string projectId, string importId, ImportSnapshot snapshot, CancellationToken cancellationToken)
    {
        try
        {
            await ImportBlobs.UploadJsonAsync(Blob(projectId, importId), snapshot, ImportSnapshotJsonContext.Default.ImportSnapshot,
                new Azure.Storage.Blobs.Models.BlobRequestConditions { IfNoneMatch = ETag.All }, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return false;
        }
    }

    /// <summary>
    /// The stored snapshot; an import's is joined with its plan's rows (loaded for it) into the rows it wrote.
    /// </summary>
    /// <returns>Null when the import has no snapshot (it wrote nothing yet, or was accepted by an earlier version).</returns>
    /// <exception cref="StoredDataException">The stored snapshot, or the plan it takes its rows as written from, cannot be read.</exception>
    public async Task<ImportSnapshot?> LoadAsync(string projectId, string importId, CancellationToken cancellationToken)
    {
        var blob = Blob(projectId, importId);
        var snapshot = await ReadStoredAsync(blob, cancellationToken).ConfigureAwait(false);
        if (snapshot is not { AfterInPlan: true }) return snapshot;
        var planRows = (await plans.LoadAsync(projectId, importId, cancellationToken).ConfigureAwait(false)
            ?? throw new StoredDataException($"The stored import snapshot {blob.Name} takes its rows as written from the import's plan, which is gone.")).Rows;
        var befores = Befores(snapshot, blob.Name);
        var planKeys = planRows.Select(r => r.Key).ToHashSet();
        if (befores.Keys.FirstOrDefault(k => !planKeys.Contains(k)) is { PartitionKey: not null } stray)
        {
            throw new StoredDataException($"The stored import snapshot {blob.Name} holds row {stray.PartitionKey}/{stray.RowKey}, which its plan does not change.");
        }
        var restored = ImportSnapshot.Of(planRows, befores);
        restored.AfterInPlan = true;
        return restored;
    }

    private BlobClient Blob(string projectId, string importId) => Container.GetBlobClient(ImportBlobs.Snapshot(projectId, importId));

    private static Task<ImportSnapshot?> ReadStoredAsync(BlobClient blob, CancellationToken cancellationToken) =>
        ImportBlobs.ReadJsonAsync(blob, ImportSnapshotJsonContext.Default.ImportSnapshot, "import snapshot", cancellationToken);

    /// <summary>An import's stored rows as they were before it: each has one.</summary>
    private static Dictionary<ProjectRowKey, byte[]> Befores(ImportSnapshot stored, string name) => stored.Rows.ToDictionary(
        r => r.Key, r => r.Before ?? throw new StoredDataException($"The stored import snapshot {name} holds row {r.Partition}/{r.Row} without what was there before."));

    private static InvalidOperationException Vanished(string importId) => new($"The snapshot of import {importId} was there, then gone.");

    /// <summary>Whether the import stored its snapshot (and so may have begun writing), without loading it.</summary>
    public async Task<bool> ExistsAsync(string projectId, string importId, CancellationToken cancellationToken) =>
        (await Blob(projectId, importId).ExistsAsync(cancellationToken).ConfigureAwait(false)).Value;
}
