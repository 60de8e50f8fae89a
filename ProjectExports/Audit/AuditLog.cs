using Azure.Data.Tables;
using ProjectExports.Storage;

namespace ProjectExports.Audit;

/// <summary>
/// The audit log: PartitionKey = projectId, RowKey = newest-first time : object id : event. The key is derived
/// from the event and its recorded time, so writing the same event twice (a redelivered message) is one entry.
/// </summary>
public sealed class AuditLog(StorageClients clients)
{
    private TableClient Table => clients.Tables.GetTableClient(StorageNames.AuditLogTable);

    public async Task WriteAsync(
        string projectId, DateTimeOffset at, string relatedObjectType, string relatedObjectId, string eventName, string log,
        string? author, string? authorApiKey, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(projectId, $"{TableKeys.NewestFirst(at)}:{relatedObjectId}:{eventName}")
        {
            ["CreatedAt"] = at,
            ["Log"] = log,
            ["RelatedObjectType"] = relatedObjectType,
            ["RelatedObjectId"] = relatedObjectId,
            ["Author"] = author,
            ["AuthorApiKey"] = authorApiKey,
        };
        await Table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A page of the project's entries, newest first, after the entry id <paramref name="after"/>.</summary>
    public async Task<TablePage<AuditEntry>> ListAsync(string projectId, string? after, int limit, CancellationToken cancellationToken)
    {
        return await TablePaging.ReadPageAsync(Table, projectId, after, limit, FromEntity, cancellationToken).ConfigureAwait(false);
    }

    private static AuditEntry FromEntity(TableEntity row) => new()
    {
        Id = row.RowKey,
        Project = row.PartitionKey,
        CreatedAt = row.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.MinValue,
        Log = row.GetString("Log") ?? "",
        RelatedObjectType = row.GetString("RelatedObjectType") ?? "",
        RelatedObjectId = row.GetString("RelatedObjectId") ?? "",
        Author = row.GetString("Author"),
        AuthorApiKey = row.GetString("AuthorApiKey"),
    };
}
