using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using ProjectExports.Http;
using ProjectExports.Jobs;
using ProjectExports.Storage;

namespace ProjectExports.Imports;

/// <summary>Imports as a kind of job: where they live, their own columns and their audit wording.</summary>
public sealed class ImportJobKind(IOptions<ImportOptions> options) : JobKind<ImportRecord>(new JobPlaces(
    "import", StorageNames.ImportsTable, StorageNames.ImportQueue, "importId", IndexPrefix: "import-", "PROJECT_IMPORT", StorageNames.ImportContainer))
{
    public override TimeSpan Retention => options.Value.Retention;

    public override IEnumerable<string> BlobNames(string projectId, string id) =>
        [ImportBlobs.Document(projectId, id), ImportBlobs.Plan(projectId, id), ImportBlobs.Review(projectId, id), ImportBlobs.Snapshot(projectId, id)];

    public override ImportRecord ReadFields(TableEntity entity) => new()
    {
        Strategy = Enum.Parse<ImportStrategy>(entity.GetString("Strategy")),
        SizeBytes = entity.GetInt64("SizeBytes") ?? 0,
        EnvironmentMap = entity.GetBinary("EnvironmentMap") is { } map ? JsonSerializer.Deserialize(map, ApiJsonContext.Wire.IReadOnlyDictionaryStringString) : null,
        Environments = entity.GetBinary("Environments") is { } environments ? JsonSerializer.Deserialize(environments, ApiJsonContext.Wire.IReadOnlyListString) : null,
        PlanId = entity.GetString("PlanId"),
        ResultSummary = entity.GetString("ResultSummary") is { } summary ? JsonSerializer.Deserialize(summary, ApiJsonContext.Wire.ImportSummary) : null,
        Reverts = entity.GetString("Reverts"),
        RevertSummary = entity.GetString("RevertSummary") is { } reverted ? JsonSerializer.Deserialize(reverted, ApiJsonContext.Wire.RevertSummary) : null,
        Force = entity.GetBoolean("Force") ?? false,
        Differences = entity.GetString("Differences") is { } differences ? JsonSerializer.Deserialize(differences, ApiJsonContext.Wire.ImportEntityList) : null,
        Overwritten = entity.GetString("Overwritten") is { } overwritten ? JsonSerializer.Deserialize(overwritten, ApiJsonContext.Wire.ImportEntityList) : null,
    };

    public override void WriteFields(ImportRecord record, TableEntity entity)
    {
        entity["Strategy"] = record.Strategy.ToString();
        entity["SizeBytes"] = record.SizeBytes;
        // Binary UTF-8 JSON of at most ImportEnvironmentOptions.MaxStoredBytes each: inside a property's 64 KiB.
        entity["EnvironmentMap"] = record.EnvironmentMap is null ? null : JsonSerializer.SerializeToUtf8Bytes(record.EnvironmentMap, ApiJsonContext.Wire.IReadOnlyDictionaryStringString);
        entity["Environments"] = record.Environments is null ? null : JsonSerializer.SerializeToUtf8Bytes(record.Environments, ApiJsonContext.Wire.IReadOnlyListString);
        entity["PlanId"] = record.PlanId;
        entity["ResultSummary"] = record.ResultSummary is null ? null : JsonSerializer.Serialize(record.ResultSummary, ApiJsonContext.Wire.ImportSummary);
        entity["Reverts"] = record.Reverts;
        entity["RevertSummary"] = record.RevertSummary is null ? null : JsonSerializer.Serialize(record.RevertSummary, ApiJsonContext.Wire.RevertSummary);
        entity["Force"] = record.Force;
        entity["Differences"] = record.Differences is null ? null : JsonSerializer.Serialize(record.Differences, ApiJsonContext.Wire.ImportEntityList);
        entity["Overwritten"] = record.Overwritten is null ? null : JsonSerializer.Serialize(record.Overwritten, ApiJsonContext.Wire.ImportEntityList);
    }

    public override string RequestedLog(ImportRecord record) => record.Reverts is { } reverted
        ? $"Project import revert requested (import {reverted}{(record.Force ? ", forced" : "")})"
        : $"Project import requested (strategy: {record.Strategy.ToWords()})";

    public override string FinishedLog(ImportRecord record) => (record.Reverts, record.Status) switch
    {
        (null, JobStatus.Success) => $"Project import completed: {record.ResultSummary!.ToWords()}",
        (null, _) => $"Project import failed: {record.Error?.Message}",
        ({ } reverted, JobStatus.Success) => $"Project import reverted (import {reverted}): {record.RevertSummary!.ToWords()}",
        ({ } reverted, _) => $"Project import revert failed (import {reverted}): {record.Error?.Message}",
    };

    public override JobError Stalled(TimeSpan timeout) =>
        new(ImportErrors.Stalled, $"The import was still processing after {timeout}; import the document again.");
}
