using Azure.Data.Tables;
using ProjectExports.Storage;

namespace ProjectExports.Projects;

/// <summary>
/// The store at the level of logical rows, whatever the pages hold them: the rows a set of changes writes, the current
/// JSON at a set of keys, and writing rows back. What an import snapshots, verifies and reverts, so undo restores exact
/// bytes and a later change of layout keeps reading old snapshots.
/// </summary>
public sealed partial class ProjectStore
{
    /// <summary>
    /// The rows <paramref name="changes"/> write in the project's own partition (tags, segments, features, environment
    /// settings), then those each environment's data writes (<see cref="EnvironmentRowsOf"/>): JSON for an upsert, null
    /// for a delete. Built one at a time as they are enumerated, as writing would build them, so a
    /// <see cref="StorageLimitException"/> says what cannot be stored before anything is.
    /// </summary>
    public static IEnumerable<ProjectRow> ProjectRowsOf(ProjectChanges changes) => Rows(OwnEntities(changes));

    /// <summary>
    /// The rows one environment's data writes (its states partition, then its identities'), deletes after upserts in
    /// each: an import's plan stores them as each environment is planned, then lets that environment's models go.
    /// </summary>
    /// <inheritdoc cref="ProjectRowsOf(ProjectChanges)"/>
    public static IEnumerable<ProjectRow> EnvironmentRowsOf(string projectId, EnvironmentChanges changes) =>
        Rows(EnvironmentEntities(TableKeys.RequireId(projectId, "Project id"), changes));

    private static IEnumerable<ProjectRow> Rows(IEnumerable<(TableEntity Entity, bool Deleted)> entities)
    {
        foreach (var (entity, deleted) in entities)
        {
            yield return deleted
                ? new ProjectRow(entity.PartitionKey, entity.RowKey, null)
                : Checked(new ProjectRow(entity.PartitionKey, entity.RowKey, JsonEntityCodec.JsonOf(entity)));
        }
    }

    /// <summary>
    /// The JSON stored now at each key that has a row (a key without one is left out), each partition read once and in
    /// parallel; a few keys of a partition take point reads of the pages holding them, so one identity override does
    /// not cost a read of every identity of its environment.
    /// </summary>
    public async Task<Dictionary<ProjectRowKey, byte[]>> ReadRowsAsync(IEnumerable<ProjectRowKey> keys, CancellationToken cancellationToken)
    {
        await using var reads = BeginRowReads();
        foreach (var partition in keys.GroupBy(k => k.PartitionKey))
        {
            reads.Start(partition.Key, partition.Select(k => k.RowKey));
        }
        return (await reads.CompleteAsync(cancellationToken).ConfigureAwait(false)).Rows;
    }

    /// <summary>
    /// Reads of the current rows to start partition by partition while the caller learns the keys (each as
    /// <see cref="ReadRowsAsync"/> reads a partition), with the listings of pages they saw, for writing those rows next.
    /// </summary>
    public ProjectRowReads BeginRowReads() => new(Partition, ParallelPartitions);

    /// <summary>
    /// Writes rows (upsert the JSON, or delete where it is null), each partition's in transactions of its changed pages,
    /// a few partitions at once, so that references stay whole at every moment: the project's own rows are upserted
    /// first and deleted last. Keys and sizes are checked before the first write. Deleting what is already gone
    /// succeeds, so writing the same rows again (a redelivery after a partial run) converges. <paramref name="rowsWritten"/>
    /// is told how many rows of how many are written, first with none, then after each partition.
    /// </summary>
    public Task<IReadOnlyDictionary<string, PagedWriteReceipt>> WriteRowsAsync(
        string projectId, IReadOnlyCollection<ProjectRow> rows, Func<long, long, CancellationToken, ValueTask> rowsWritten, CancellationToken cancellationToken) =>
        WriteRowsAsync(projectId, rows, null, rowsWritten, cancellationToken);

    /// <param name="listings">Each partition's listing of pages from a read moments before (<see cref="BeginRowReads"/>):
    /// a partition's first write starts from it instead of listing its pages again.</param>
    /// <inheritdoc cref="WriteRowsAsync(string, IReadOnlyCollection{ProjectRow}, Func{long, long, CancellationToken, ValueTask}, CancellationToken)"/>
    public async Task<IReadOnlyDictionary<string, PagedWriteReceipt>> WriteRowsAsync(
        string projectId, IReadOnlyCollection<ProjectRow> rows, IReadOnlyDictionary<string, PageListing>? listings,
        Func<long, long, CancellationToken, ValueTask> rowsWritten, CancellationToken cancellationToken)
    {
        string? partition = null;
        foreach (var row in rows)
        {
            if (row.PartitionKey != partition) TableKeys.RequireKey(partition = row.PartitionKey, "A partition key");
            Checked(row);
        }
        long total = rows.Count, done = 0;
        var receipts = new Dictionary<string, PagedWriteReceipt>(StringComparer.Ordinal);
        // A partition written in two phases (the project's own) lists its pages again for the second: its first changed them.
        var unlisted = new Dictionary<string, PageListing>(listings ?? new Dictionary<string, PageListing>(), StringComparer.Ordinal);
        await rowsWritten(0, total, cancellationToken).ConfigureAwait(false);
        var own = rows.Where(r => r.PartitionKey == projectId).ToList();
        foreach (var phase in new[] { own.Where(r => r.Json is not null), rows.Where(r => r.PartitionKey != projectId), own.Where(r => r.Json is null) })
        {
            // Largest first: a partition's rounds follow one another, so one started last would write alone at the end.
            var partitions = phase.GroupBy(r => r.PartitionKey).OrderByDescending(p => p.Sum(r => (long)(r.Json?.Length ?? 0))).ToList();
            await Parallel.ForEachAsync(partitions, new ParallelOptions { MaxDegreeOfParallelism = ParallelPartitions, CancellationToken = cancellationToken }, async (partition, token) =>
            {
                var changes = new Dictionary<string, byte[]?>(StringComparer.Ordinal);
                foreach (var row in partition) changes[row.RowKey] = row.Json;
                PageListing? listed;
                lock (unlisted)
                {
                    unlisted.Remove(partition.Key, out listed);
                }
                var receipt = await Partition(partition.Key).WriteAsync(changes, listed, token).ConfigureAwait(false);
                lock (receipts)
                {
                    if (receipts.TryGetValue(partition.Key, out var earlier)) earlier.Add(receipt);
                    else receipts[partition.Key] = receipt;
                }
                await rowsWritten(Interlocked.Add(ref done, changes.Count), total, token).ConfigureAwait(false);
            }).ConfigureAwait(false);
        }
        return receipts;
    }

    /// <summary>
    /// What storage holds at each of <paramref name="rows"/>' keys after <see cref="WriteRowsAsync"/> wrote them, as
    /// <see cref="ReadRowsAsync"/> reads it: a row whose page is still as the write left it (its receipt, confirmed by
    /// a listing of page keys) holds what was written; the others, changed since by another writer, are read.
    /// </summary>
    public async Task<Dictionary<ProjectRowKey, byte[]?>> ReadWrittenRowsAsync(
        IReadOnlyCollection<ProjectRow> rows, IReadOnlyDictionary<string, PagedWriteReceipt> receipts, CancellationToken cancellationToken)
    {
        var found = new Dictionary<ProjectRowKey, byte[]?>();
        var partitions = rows.GroupBy(r => r.PartitionKey).ToList();
        await Parallel.ForEachAsync(partitions, new ParallelOptions { MaxDegreeOfParallelism = ParallelPartitions, CancellationToken = cancellationToken }, async (partition, token) =>
        {
            var stored = await ReadWrittenAsync(Partition(partition.Key), [.. partition], receipts.GetValueOrDefault(partition.Key), token).ConfigureAwait(false);
            lock (found)
            {
                foreach (var row in partition) found[row.Key] = stored[row.RowKey];
            }
        }).ConfigureAwait(false);
        return found;
    }

    /// <summary>What one partition holds at <paramref name="rows"/>' keys after a write that answered <paramref name="receipt"/>, by row key (null: no row).</summary>
    internal static async Task<Dictionary<string, byte[]?>> ReadWrittenAsync(
        PagedPartition paged, IReadOnlyList<ProjectRow> rows, PagedWriteReceipt? receipt, CancellationToken cancellationToken)
    {
        var confirmed = receipt is null ? [] : await paged.ConfirmAsync(receipt, cancellationToken).ConfigureAwait(false);
        var unconfirmed = rows.Select(r => r.RowKey).Where(k => !confirmed.Contains(k)).ToHashSet(StringComparer.Ordinal);
        var read = unconfirmed.Count > 0 ? await paged.ReadAsync(unconfirmed, cancellationToken).ConfigureAwait(false) : [];
        var stored = new Dictionary<string, byte[]?>(rows.Count, StringComparer.Ordinal);
        foreach (var row in rows) stored[row.RowKey] = confirmed.Contains(row.RowKey) ? row.Json : read.GetValueOrDefault(row.RowKey);
        return stored;
    }

    /// <summary>
    /// Writes of rows to start a partition's run at a time as the caller comes to them, each run read back once
    /// written and handed to <paramref name="written"/> with what storage holds at its keys. As many runs go at once as
    /// the write budget (<see cref="StorageOptions.WriteBytesInFlight"/>) has rounds for, and one more to plan while they
    /// write. <paramref name="listings"/> are as for <see cref="WriteRowsAsync(string, IReadOnlyCollection{ProjectRow}, IReadOnlyDictionary{string, PageListing}?, Func{long, long, CancellationToken, ValueTask}, CancellationToken)"/>.
    /// </summary>
    public ProjectRowWrites BeginRowWrites(
        string projectId, IReadOnlyDictionary<string, PageListing>? listings,
        Func<IReadOnlyList<ProjectRow>, IReadOnlyDictionary<string, byte[]?>, CancellationToken, ValueTask> written) =>
        new(TableKeys.RequireId(projectId, "Project id"), Partition,
            (int)Math.Clamp(clients.TableWrites.Bytes / PagedPartition.RoundBytes + 1, 2, ParallelPartitions), listings, written);

    private PagedPartition Partition(string partitionKey) => new(Table, partitionKey, clients.TableWrites);

    /// <summary>
    /// A logical row, checked against the key rules (as the key of a page it would start: '!' and its own) and against
    /// what one page can hold. An import checks tens of thousands, so an error's words are made only for a row that fails.
    /// </summary>
    internal static ProjectRow Checked(ProjectRow row)
    {
        if (row.RowKey.Length >= TableKeys.MaxKeyLength || !TableKeys.IsValidKey(row.RowKey))
        {
            TableKeys.RequireKey(RowPageCodec.PageKeyOf(row.RowKey), $"The key of row {row.RowKey} (as a page key)");
        }
        if (row.Json is not null && !RowPageCodec.Fits(row.RowKey, row.Json.Length))
        {
            RowPageCodec.RequireFits(row.RowKey, row.Json.Length, $"row {row.RowKey}");
        }
        return row;
    }
}
