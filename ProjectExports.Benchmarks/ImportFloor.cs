using System.Diagnostics;
using Azure.Data.Tables;
using ProjectExports.Benchmarks.Counting;
using ProjectExports.Projects;
using ProjectExports.Storage;

namespace ProjectExports.Benchmarks;

/// <summary>What the floor wrote: its time, and the transactions and rows it sent (to check the counting policy against).</summary>
public sealed record ImportFloorMeasurement(TimeSpan Elapsed, int Transactions, int Rows, StorageCounts Storage);

/// <summary>
/// What an import costs at the least: the rows an import wrote (with layout 2, its pages), read back untimed, then
/// written with bare Azure SDK transactions into a fresh project's partitions (same row keys and bytes; the project id,
/// of the same length, swapped in the partition keys), within Table Storage's transaction bounds
/// (<see cref="FloorTransactions.Batches"/>) and with the store's parallelism. Nothing is read, planned, snapshotted or verified: only the writes.
/// </summary>
public sealed class ImportFloor(StorageClients clients, StorageCountingPolicy counter)
{
    /// <summary>ProjectStore.ParallelPartitions: the partitions an import writes at once, each in its own transactions.</summary>
    public const int ParallelTransactions = 8;

    private TableClient Table => clients.Tables.GetTableClient(StorageNames.ProjectConfigurationTable);

    public async Task<ImportFloorMeasurement> MeasureAsync(string importedProjectId, string floorProjectId, CancellationToken cancellationToken)
    {
        if (floorProjectId.Length != importedProjectId.Length)
        {
            throw new ArgumentException("The floor's project id must be as long as the imported one, so its rows are as large.", nameof(floorProjectId));
        }
        var rows = await ReadImportedRowsAsync(importedProjectId, floorProjectId, cancellationToken);
        var batches = FloorTransactions.Batches(rows).ToList();
        var countsBefore = counter.Snapshot();
        var stopwatch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = ParallelTransactions, CancellationToken = cancellationToken },
            async (batch, token) => await Table.SubmitTransactionAsync(batch.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e)), token));
        var elapsed = stopwatch.Elapsed;
        var counts = counter.Snapshot() - countsBefore;
        // The floor knows what it sent: a counting policy that disagrees is wrong, and its figures must not be printed.
        if (counts.Transactions != batches.Count || counts.EntitiesWritten != rows.Count)
        {
            throw new InvalidOperationException($"The counting policy saw {counts}, but the floor sent {batches.Count} transactions of {rows.Count} rows.");
        }
        return new ImportFloorMeasurement(elapsed, batches.Count, rows.Count, counts);
    }

    /// <summary>
    /// Every row of the imported project but its project row (created before the import, not by it), moved to the
    /// floor's project: its own partition and those beginning "{id}:" (':' then ';' bound them). Read streamed
    /// (<see cref="TableRowReader"/>) a partition at a time, as the app reads: the Tables client would parse each whole
    /// response in buffers from the shared array pool, which keeps them on the thread that returns them. Read that way,
    /// each L floor left 8, 16 and 32 MiB buffers behind, and over a run this process's heap, where the imports are
    /// measured, grew from 60 MB to 580 MB of them.
    /// </summary>
    private async Task<List<TableEntity>> ReadImportedRowsAsync(string projectId, string floorProjectId, CancellationToken cancellationToken)
    {
        var partitions = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var filter in ProjectFilters(projectId))
        {
            await foreach (var row in Table.QueryAsync<TableEntity>(filter, select: ["PartitionKey"], cancellationToken: cancellationToken))
            {
                partitions.Add(row.PartitionKey);
            }
        }
        var countsBefore = counter.Snapshot();
        var rows = new List<TableEntity>();
        var read = 0;
        foreach (var partition in partitions)
        {
            var moved = floorProjectId + partition[projectId.Length..];
            await TableRowReader.ReadStoredAsync(Table, ProjectStore.PartitionFilter(partition), (rowKey, _, json) =>
            {
                read++;
                if (!(partition == projectId && rowKey == "project")) rows.Add(JsonEntityCodec.ToEntity(moved, rowKey, json.ToArray(), $"row {rowKey}"));
            }, cancellationToken);
        }
        var counted = counter.Snapshot() - countsBefore;
        if (counted.EntitiesRead != read)
        {
            throw new InvalidOperationException($"The counting policy saw {counted.EntitiesRead} entities read, but the queries returned {read}.");
        }
        return rows;
    }

    /// <summary>
    /// Deletes every row of a project (a warm-up's import or floor): Azurite scans the whole table for each query, so
    /// rows left behind would slow the measured imports' reads, and not their floors, which only write.
    /// </summary>
    public async Task DeleteProjectAsync(string projectId, CancellationToken cancellationToken)
    {
        var rows = new List<TableEntity>();
        foreach (var filter in ProjectFilters(projectId))
        {
            await foreach (var row in Table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
            {
                rows.Add(row);
            }
        }
        foreach (var partition in rows.GroupBy(r => r.PartitionKey))
        {
            foreach (var chunk in partition.Chunk(100))
            {
                await Table.SubmitTransactionAsync(chunk.Select(r => new TableTransactionAction(TableTransactionActionType.Delete, r, Azure.ETag.All)), cancellationToken);
            }
        }
    }

    /// <summary>A project's own partition, and those beginning "{id}:" (':' then ';' bound them).</summary>
    private static string[] ProjectFilters(string projectId) =>
    [
        TableClient.CreateQueryFilter($"PartitionKey eq {projectId}"),
        TableClient.CreateQueryFilter($"PartitionKey gt {projectId + ":"} and PartitionKey lt {projectId + ";"}"),
    ];
}
