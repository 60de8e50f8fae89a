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

    public override IEnumerable<string> BlobNames(string projectId, string id) => [ImportBlobs.Document(projectId, id), ImportBlobs.Plan(projectId, id), ImportBlobs.Review(projectId, id)];

    public override ImportRecord ReadFields(TableEntity entity) => new()
    {
        Strategy = Enum.Parse<ImportStrategy>(entity.GetString("Strategy")),
        SizeBytes = entity.GetInt64("SizeBytes") ?? 0,
        EnvironmentMap = entity.GetBinary("EnvironmentMap") is { } map ? JsonSerializer.Deserialize(map, ApiJsonContext.Wire.IReadOnlyDictionaryStringString) : null,
        Environments = entity.GetBinary("Environments") is { } environments ? JsonSerializer.Deserialize(environments, ApiJsonContext.Wire.IReadOnlyListString) : null,
        PlanId = entity.GetString("PlanId"),
        ResultSummary = entity.GetString("ResultSummary") is { } summary ? JsonSerializer.Deserialize(summary, ApiJsonContext.Wire.ImportSummary) : null,
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
    }

    public override string RequestedLog(ImportRecord record) => $"Project import requested (strategy: {record.Strategy.ToWords()})";

    public override string FinishedLog(ImportRecord record) =>
        record.Status == JobStatus.Success
            ? $"Project import completed: {record.ResultSummary!.ToWords()}"
            : $"Project import failed: {record.Error?.Message}";

    public override JobError Stalled(TimeSpan timeout) =>
        new(ImportErrors.Stalled, $"The import was still processing after {timeout}; import the document again.");
}
