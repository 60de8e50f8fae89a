using Azure.Data.Tables;
using ProjectExports.Storage;

namespace ProjectExports.Exports;

/// <summary>Export records in table <c>exports</c>: PartitionKey = projectId, RowKey = export id (which sorts newest first).</summary>
public sealed class ExportRecordStore(StorageClients clients)
    : ProcessingRecordStore<ExportRecord>(clients, StorageNames.ExportsTable)
{
    protected override TableEntity ToEntity(ExportRecord record)
    {
        var entity = new TableEntity(record.Project, record.Id)
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
        WriteProgress(entity, record.Progress);
        return entity;
    }

    protected override ExportRecord FromEntity(TableEntity entity) => new()
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
        Progress = ReadProgress(entity),
    };
}
