using Azure;
using Azure.Data.Tables;
using ProjectExports.Storage;

namespace ProjectExports.Exports;

/// <summary>Export records: PartitionKey = projectId, RowKey = export id (which sorts newest first).</summary>
public sealed class ExportRecordStore(StorageClients clients, StorageInitializer initializer)
{
    private TableClient Table => clients.Tables.GetTableClient(StorageNames.ExportsTable);

    public async Task CreateAsync(ExportRecord record, CancellationToken cancellationToken)
    {
        await initializer.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        await Table.AddEntityAsync(ToEntity(record), cancellationToken).ConfigureAwait(false);
    }

    public async Task<(ExportRecord Record, ETag ETag)?> GetAsync(string projectId, string exportId, CancellationToken cancellationToken)
    {
        await initializer.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(projectId, exportId, cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue ? (FromEntity(row.Value!), row.Value!.ETag) : null;
    }

    /// <summary>Replaces the record if nobody changed it since <paramref name="etag"/>; false when somebody did.</summary>
    public async Task<bool> TryReplaceAsync(ExportRecord record, ETag etag, CancellationToken cancellationToken)
    {
        try
        {
            await Table.UpdateEntityAsync(ToEntity(record), etag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 412 or 404)
        {
            return false;
        }
    }

    /// <summary>A page of the project's exports, newest first, starting after the export id <paramref name="after"/>.</summary>
    public async Task<TablePage<ExportRecord>> ListAsync(string projectId, string? after, int limit, CancellationToken cancellationToken)
    {
        await initializer.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        return await TablePaging.ReadPageAsync(Table, projectId, after, limit, FromEntity, cancellationToken).ConfigureAwait(false);
    }

    public async Task DeleteAsync(string projectId, string exportId, CancellationToken cancellationToken)
    {
        // Deleting what is already gone succeeds: the SDK treats 404 on delete as done.
        await Table.DeleteEntityAsync(projectId, exportId, ETag.All, cancellationToken).ConfigureAwait(false);
    }

    private static TableEntity ToEntity(ExportRecord record) => new(record.Project, record.Id)
    {
        ["Status"] = record.Status.ToString(),
        ["CreatedAt"] = record.CreatedAt,
        ["CompletedAt"] = record.CompletedAt,
        ["CreatedBy"] = record.CreatedBy,
        ["CreatedByApiKey"] = record.CreatedByApiKey,
        ["IncludeIdentityOverrides"] = record.IncludeIdentityOverrides,
        ["IncludeTags"] = record.IncludeTags,
        ["SizeBytes"] = record.SizeBytes,
        ["Sha256"] = record.Sha256,
        ["ErrorCode"] = record.Error?.Code,
        ["ErrorMessage"] = record.Error?.Message,
    };

    private static ExportRecord FromEntity(TableEntity entity) => new()
    {
        Id = entity.RowKey,
        Project = entity.PartitionKey,
        Status = Enum.Parse<ExportStatus>(entity.GetString("Status")),
        CreatedAt = entity.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.MinValue,
        CompletedAt = entity.GetDateTimeOffset("CompletedAt"),
        CreatedBy = entity.GetString("CreatedBy"),
        CreatedByApiKey = entity.GetString("CreatedByApiKey"),
        IncludeIdentityOverrides = entity.GetBoolean("IncludeIdentityOverrides") ?? false,
        IncludeTags = entity.GetBoolean("IncludeTags") ?? true,
        SizeBytes = entity.GetInt64("SizeBytes"),
        Sha256 = entity.GetString("Sha256"),
        Error = entity.GetString("ErrorCode") is { } code ? new ExportError(code, entity.GetString("ErrorMessage") ?? "") : null,
    };
}
