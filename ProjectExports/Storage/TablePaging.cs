using Azure.Data.Tables;

namespace ProjectExports.Storage;

/// <summary>A page of one partition in RowKey order, and the RowKey to continue after (null on the last page).</summary>
public sealed record TablePage<T>(IReadOnlyList<T> Items, string? ContinueAfter);

public static class TablePaging
{
    /// <summary>
    /// Reads up to <paramref name="limit"/> rows of a partition after the RowKey <paramref name="after"/>. Asking
    /// for one row more tells whether another page exists without a second round trip. <paramref name="condition"/>, an
    /// OData filter, leaves out rows that do not meet it.
    /// </summary>
    public static async Task<TablePage<T>> ReadPageAsync<T>(
        TableClient table, string partitionKey, string? after, int limit, Func<TableEntity, T> map, CancellationToken cancellationToken,
        string? condition = null)
    {
        var filter = after is null
            ? TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey} and RowKey gt {after}");
        if (condition is not null)
        {
            filter = $"{filter} and ({condition})";
        }
        var items = new List<T>(limit);
        string? lastKey = null;
        await foreach (var row in table.QueryAsync<TableEntity>(filter, maxPerPage: limit + 1, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (items.Count == limit)
            {
                return new TablePage<T>(items, lastKey);
            }
            items.Add(map(row));
            lastKey = row.RowKey;
        }
        return new TablePage<T>(items, null);
    }
}
