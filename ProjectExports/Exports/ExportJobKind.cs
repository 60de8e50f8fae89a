using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using ProjectExports.Http;
using ProjectExports.Jobs;
using ProjectExports.Storage;

namespace ProjectExports.Exports;

/// <summary>Exports as a kind of job: where they live, their own columns and their audit wording.</summary>
public sealed class ExportJobKind(IOptions<ExportOptions> options) : JobKind<ExportRecord>(new JobPlaces(
    "export", StorageNames.ExportsTable, StorageNames.ExportQueue, "exportId", IndexPrefix: "", "PROJECT_EXPORT", StorageNames.ExportContainer))
{
    public override TimeSpan Retention => options.Value.Retention;

    /// <summary>The index that finds expired exports knows no format, so every format's name is deleted (if it exists).</summary>
    public override IEnumerable<string> BlobNames(string projectId, string id) => ExportFormats.All.Select(format => ExportIds.BlobName(projectId, id, format));

    public override ExportRecord ReadFields(TableEntity entity) => new()
    {
        IncludeIdentityOverrides = entity.GetBoolean("IncludeIdentityOverrides") ?? false,
        IncludeTags = entity.GetBoolean("IncludeTags") ?? true,
        Selection = entity.GetBinary("Selection") is { } selection ? JsonSerializer.Deserialize(selection, ApiJsonContext.Wire.SelectedNames) : null,
        // Rows written before formats existed are JSON exports.
        Format = entity.GetString("Format") is { } format
            ? ExportFormats.TryParse(format, out var parsed) ? parsed : throw new InvalidDataException($"Unknown export format '{format}' in the exports table.")
            : ExportFormat.Json,
        SizeBytes = entity.GetInt64("SizeBytes"),
        Sha256 = entity.GetString("Sha256"),
        Fidelity = entity.GetBinary("Fidelity") is { } fidelity ? JsonSerializer.Deserialize(fidelity, ApiJsonContext.Wire.IReadOnlyListFidelityItem) : null,
    };

    public override void WriteFields(ExportRecord record, TableEntity entity)
    {
        entity["IncludeIdentityOverrides"] = record.IncludeIdentityOverrides;
        entity["IncludeTags"] = record.IncludeTags;
        // Binary UTF-8 JSON: a property holds 64 KiB, twice the create body's limit, the most its names can grow to re-encoded.
        entity["Selection"] = record.Selection is null ? null : JsonSerializer.SerializeToUtf8Bytes(record.Selection, ApiJsonContext.Wire.SelectedNames);
        entity["Format"] = record.Format.Name();
        entity["SizeBytes"] = record.SizeBytes;
        entity["Sha256"] = record.Sha256;
        // Binary UTF-8 JSON of at most FidelityReport.MaxItems cut items: well inside a property's 64 KiB.
        entity["Fidelity"] = record.Fidelity is null ? null : JsonSerializer.SerializeToUtf8Bytes(record.Fidelity, ApiJsonContext.Wire.IReadOnlyListFidelityItem);
    }

    public override string RequestedLog(ExportRecord record) => "Project export requested";

    public override string FinishedLog(ExportRecord record) =>
        record.Status == JobStatus.Success ? "Project export completed" : "Project export failed";

    public override JobError Stalled(TimeSpan timeout) =>
        new(ExportErrors.Stalled, $"The export was still processing after {timeout}; request a new one.");
}
