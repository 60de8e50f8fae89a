using Azure;
using Azure.Data.Tables;
using ProjectExports.Storage;

namespace ProjectExports.Jobs;

/// <summary>
/// Time-ordered indexes that let the cleanup find what is due without scanning every project: each kind of job has
/// one partition holding every job until it is deleted (<see cref="JobKind{TRecord}.ExpiryIndex"/>) and one holding
/// every job until it finishes (<see cref="JobKind{TRecord}.ProcessingIndex"/>). RowKey = creation ticks (oldest
/// first) : projectId : job id, so "older than" is one range query.
/// </summary>
public sealed class JobIndex(StorageClients clients)
{
    public sealed record Entry(string Index, string ProjectId, string Id, DateTimeOffset CreatedAt);

    private TableClient Table => clients.Tables.GetTableClient(StorageNames.JobIndexTable);

    public Task AddAsync(Entry entry, CancellationToken cancellationToken) =>
        Table.UpsertEntityAsync(new TableEntity(entry.Index, RowKey(entry.CreatedAt, entry.ProjectId, entry.Id)), TableUpdateMode.Replace, cancellationToken);

    public Task RemoveAsync(Entry entry, CancellationToken cancellationToken) =>
        Table.DeleteEntityAsync(entry.Index, RowKey(entry.CreatedAt, entry.ProjectId, entry.Id), ETag.All, cancellationToken);

    /// <summary>Entries created before <paramref name="cutoff"/>, oldest first.</summary>
    public async IAsyncEnumerable<Entry> OlderThanAsync(
        string index, DateTimeOffset cutoff, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {index} and RowKey lt {TableKeys.OldestFirst(cutoff)}");
        await foreach (var row in Table.QueryAsync<TableEntity>(filter, select: ["RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            var parts = row.RowKey.Split(':');
            yield return new Entry(index, parts[1], parts[2], new DateTimeOffset(long.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), TimeSpan.Zero));
        }
    }

    private static string RowKey(DateTimeOffset createdAt, string projectId, string id) =>
        $"{TableKeys.OldestFirst(createdAt)}:{projectId}:{id}";
}
