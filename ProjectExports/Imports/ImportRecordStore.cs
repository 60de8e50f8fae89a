using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using ProjectExports.Exports;
using ProjectExports.Http;
using ProjectExports.Storage;

namespace ProjectExports.Imports;

/// <summary>Import records: PartitionKey = projectId, RowKey = import id (which sorts newest first).</summary>
public sealed class ImportRecordStore(StorageClients clients, StorageInitializer initializer)
{
    private TableClient Table => clients.Tables.GetTableClient(StorageNames.ImportsTable);

    public async Task CreateAsync(ImportRecord record, CancellationToken cancellationToken)
    {
        await initializer.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        await Table.AddEntityAsync(ToEntity(record), cancellationToken).ConfigureAwait(false);
    }

    public async Task<(ImportRecord Record, ETag ETag)?> GetAsync(string projectId, string importId, CancellationToken cancellationToken)
    {
        await initializer.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(projectId, importId, cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue ? (FromEntity(row.Value!), row.Value!.ETag) : null;
    }

    /// <summary>Replaces the record if nobody changed it since <paramref name="etag"/>; false when somebody did.</summary>
    public async Task<bool> TryReplaceAsync(ImportRecord record, ETag etag, CancellationToken cancellationToken)
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

    /// <summary>A page of the project's imports, newest first, starting after the import id <paramref name="after"/>.</summary>
    public async Task<TablePage<ImportRecord>> ListAsync(string projectId, string? after, int limit, CancellationToken cancellationToken)
    {
        await initializer.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        return await TablePaging.ReadPageAsync(Table, projectId, after, limit, FromEntity, cancellationToken).ConfigureAwait(false);
    }

    public Task DeleteAsync(string projectId, string importId, CancellationToken cancellationToken) =>
        Table.DeleteEntityAsync(projectId, importId, ETag.All, cancellationToken);

    private static TableEntity ToEntity(ImportRecord record) => new(record.Project, record.Id)
    {
        ["Status"] = record.Status.ToString(),
        ["Strategy"] = record.Strategy.ToString(),
        ["CreatedAt"] = record.CreatedAt,
        ["CompletedAt"] = record.CompletedAt,
        ["CreatedBy"] = record.CreatedBy,
        ["CreatedByApiKey"] = record.CreatedByApiKey,
        ["SizeBytes"] = record.SizeBytes,
        ["ResultSummary"] = record.ResultSummary is null ? null : JsonSerializer.Serialize(record.ResultSummary, ApiJsonContext.Default.ImportSummary),
        ["ErrorCode"] = record.Error?.Code,
        ["ErrorMessage"] = record.Error?.Message,
    };

    private static ImportRecord FromEntity(TableEntity entity) => new()
    {
        Id = entity.RowKey,
        Project = entity.PartitionKey,
        Status = Enum.Parse<ExportStatus>(entity.GetString("Status")),
        Strategy = Enum.Parse<ImportStrategy>(entity.GetString("Strategy")),
        CreatedAt = entity.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.MinValue,
        CompletedAt = entity.GetDateTimeOffset("CompletedAt"),
        CreatedBy = entity.GetString("CreatedBy"),
        CreatedByApiKey = entity.GetString("CreatedByApiKey"),
        SizeBytes = entity.GetInt64("SizeBytes") ?? 0,
        ResultSummary = entity.GetString("ResultSummary") is { } summary ? JsonSerializer.Deserialize(summary, ApiJsonContext.Default.ImportSummary) : null,
        Error = entity.GetString("ErrorCode") is { } code ? new ExportError(code, entity.GetString("ErrorMessage") ?? "") : null,
    };
}
