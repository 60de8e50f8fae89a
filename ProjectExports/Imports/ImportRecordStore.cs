using System.Text.Json;
using Azure.Data.Tables;
using ProjectExports.Exports;
using ProjectExports.Http;
using ProjectExports.Storage;

namespace ProjectExports.Imports;

/// <summary>Import records in table <c>imports</c>: PartitionKey = projectId, RowKey = import id (which sorts newest first).</summary>
public sealed class ImportRecordStore(StorageClients clients)
    : ProcessingRecordStore<ImportRecord>(clients, StorageNames.ImportsTable)
{
    protected override TableEntity ToEntity(ImportRecord record)
    {
        var entity = new TableEntity(record.Project, record.Id)
        {
            ["Status"] = record.Status.ToString(),
            ["Strategy"] = record.Strategy.ToString(),
            ["CreatedAt"] = record.CreatedAt,
            ["CompletedAt"] = record.CompletedAt,
            ["CreatedBy"] = record.CreatedBy,
            ["CreatedByApiKey"] = record.CreatedByApiKey,
            ["SizeBytes"] = record.SizeBytes,
            ["ResultSummary"] = record.ResultSummary is null ? null : JsonSerializer.Serialize(record.ResultSummary, ApiJsonContext.Wire.ImportSummary),
            ["ErrorCode"] = record.Error?.Code,
            ["ErrorMessage"] = record.Error?.Message,
        };
        WriteProgress(entity, record.Progress);
        return entity;
    }

    protected override ImportRecord FromEntity(TableEntity entity) => new()
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
        ResultSummary = entity.GetString("ResultSummary") is { } summary ? JsonSerializer.Deserialize(summary, ApiJsonContext.Wire.ImportSummary) : null,
        Error = entity.GetString("ErrorCode") is { } code ? new ExportError(code, entity.GetString("ErrorMessage") ?? "") : null,
        Progress = ReadProgress(entity),
    };
}
