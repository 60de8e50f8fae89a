using Azure.Data.Tables;
using ProjectExports.Storage;

namespace ProjectExports.Projects;

/// <summary>
/// The store at the level of rows, whatever the layout: the rows a set of changes writes, the current JSON at a set
/// of keys, and writing rows back. What an import snapshots, verifies and reverts, so undo restores exact bytes.
/// </summary>
public sealed partial class ProjectStore
{
    /// <summary>Up to this many keys of one partition are read one by one; more, and the partition is read once.</summary>
    private const int PointReadsPerPartition = 16;

    /// <summary>
    /// The rows <paramref name="changes"/> write, in the order given: JSON for an upsert, null for a delete. Builds
    /// them as writing would, so a <see cref="StorageLimitException"/> says what cannot be stored before anything is.
    /// </summary>
    public static List<ProjectRow> RowsOf(ProjectChanges changes)
    {
        var (upserts, deletes) = ToEntities(changes);
        return [.. upserts.Select(e => new ProjectRow(e.PartitionKey, e.RowKey, JsonEntityCodec.JsonOf(e))),
            .. deletes.Select(e => new ProjectRow(e.PartitionKey, e.RowKey, null))];
    }

    /// <summary>
    /// The JSON stored now at each key (null where there is no row). A partition with many keys asked for is read
    /// once, keeping only those keys; a partition with few gets point reads, so one identity override does not
    /// cost a read of every identity of its environment.
    /// </summary>
    public async Task<Dictionary<ProjectRowKey, byte[]?>> ReadRowsAsync(IEnumerable<ProjectRowKey> keys, CancellationToken cancellationToken)
    {
        var found = new Dictionary<ProjectRowKey, byte[]?>();
        var partitions = keys.Distinct().GroupBy(k => k.PartitionKey).ToList();
        await Parallel.ForEachAsync(partitions, new ParallelOptions { MaxDegreeOfParallelism = ParallelTransactions, CancellationToken = cancellationToken }, async (partition, token) =>
        {
            var rows = partition.Count() <= PointReadsPerPartition
                ? await PointReadAsync(partition, token).ConfigureAwait(false)
                : await ScanAsync(partition.Key, partition.Select(k => k.RowKey).ToHashSet(StringComparer.Ordinal), token).ConfigureAwait(false);
            lock (found)
            {
                foreach (var key in partition)
                {
                    found[key] = rows.GetValueOrDefault(key.RowKey);
                }
            }
        }).ConfigureAwait(false);
        return found;
    }

    private async Task<Dictionary<string, byte[]?>> PointReadAsync(IEnumerable<ProjectRowKey> keys, CancellationToken cancellationToken)
    {
        var rows = new Dictionary<string, byte[]?>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            var row = await Table.GetEntityIfExistsAsync<TableEntity>(key.PartitionKey, key.RowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
            rows[key.RowKey] = row.HasValue ? JsonEntityCodec.JsonOf(row.Value!) : null;
        }
        return rows;
    }

    private async Task<Dictionary<string, byte[]?>> ScanAsync(string partitionKey, HashSet<string> wanted, CancellationToken cancellationToken)
    {
        var rows = new Dictionary<string, byte[]?>(StringComparer.Ordinal);
        await ReadPartitionAsync(partitionKey, (key, json) =>
        {
            if (wanted.Contains(key)) rows[key] = json.ToArray();
        }, cancellationToken).ConfigureAwait(false);
        return rows;
    }

    /// <summary>
    /// Writes rows (upsert the JSON, or delete where it is null) in transactions of one partition, a few at once, so
    /// that references stay whole at every moment: the project's own rows are upserted first and deleted last.
    /// Keys and sizes are checked before the first write. Deleting what is already gone succeeds, so writing the same
    /// rows again (a redelivery after a partial run) converges. <paramref name="rowsWritten"/> is told how many rows of
    /// how many are written, first with none, then after each transaction.
    /// </summary>
    public async Task WriteRowsAsync(
        string projectId, IReadOnlyCollection<ProjectRow> rows, Func<long, long, CancellationToken, ValueTask> rowsWritten, CancellationToken cancellationToken)
    {
        var entities = rows.Select(r => (Own: r.PartitionKey == projectId, Upsert: r.Json is not null, Entity: r.Json is { } json
            ? JsonEntityCodec.ToEntity(TableKeys.RequireKey(r.PartitionKey, "A partition key"), TableKeys.RequireKey(r.RowKey, "A row key"), json, $"row {r.RowKey}")
            : new TableEntity(r.PartitionKey, r.RowKey))).ToList();
        long total = entities.Count, done = 0;
        await rowsWritten(0, total, cancellationToken).ConfigureAwait(false);
        ValueTask AfterWrite(int count, CancellationToken token) => rowsWritten(Interlocked.Add(ref done, count), total, token);

        IEnumerable<TableEntity[]> Of(bool own, bool upsert) =>
            Batches(entities.Where(e => e.Own == own && e.Upsert == upsert).Select(e => e.Entity));
        await WriteAsync(Of(own: true, upsert: true), UpsertAsync, AfterWrite, cancellationToken).ConfigureAwait(false);
        await WriteAsync(Of(own: false, upsert: true), UpsertAsync, AfterWrite, cancellationToken).ConfigureAwait(false);
        await WriteAsync(Of(own: false, upsert: false), DeleteAsync, AfterWrite, cancellationToken).ConfigureAwait(false);
        await WriteAsync(Of(own: true, upsert: false), DeleteAsync, AfterWrite, cancellationToken).ConfigureAwait(false);
    }
}
