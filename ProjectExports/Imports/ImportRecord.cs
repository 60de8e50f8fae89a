using System.Text.Json.Serialization;
using ProjectExports.Exports;
using ProjectExports.Storage;

namespace ProjectExports.Imports;

/// <summary>What an import does with entities that already exist (matched by name, tags by label).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ImportStrategy>))]
public enum ImportStrategy
{
    /// <summary>Create only what does not exist yet; leave existing entities untouched.</summary>
    [JsonStringEnumMemberName("SKIP")] Skip,
    /// <summary>Replace matching entities and their data in the document's environments.</summary>
    [JsonStringEnumMemberName("OVERWRITE_DESTRUCTIVE")] OverwriteDestructive,
}

public static class ImportStrategies
{
    public static string ToWireName(this ImportStrategy strategy) => strategy == ImportStrategy.Skip ? "SKIP" : "OVERWRITE_DESTRUCTIVE";

    /// <summary>As audit entries word it: "Skip", "Overwrite Destructive".</summary>
    public static string ToWords(this ImportStrategy strategy) => strategy == ImportStrategy.Skip ? "Skip" : "Overwrite Destructive";

    public static bool TryParse(string? text, out ImportStrategy strategy)
    {
        strategy = ImportStrategy.Skip;
        if (string.Equals(text, "SKIP", StringComparison.OrdinalIgnoreCase)) return true;
        strategy = ImportStrategy.OverwriteDestructive;
        return string.Equals(text, "OVERWRITE_DESTRUCTIVE", StringComparison.OrdinalIgnoreCase);
    }
}

/// <summary>Why an import failed.</summary>
public static class ImportErrors
{
    public const string Failed = "import_failed";
    public const string Stalled = "import_stalled";
    public const string InvalidDocument = "invalid_document";
    public const string ProjectMissing = "project_not_found";
}

/// <summary>One import into a project, as stored and as the API returns it.</summary>
public sealed record ImportRecord : IProcessingRecord
{
    public required string Id { get; init; }
    public required string Project { get; init; }
    public ExportStatus Status { get; init; } = ExportStatus.Processing;
    public ImportStrategy Strategy { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
    public string? CreatedBy { get; init; }
    public string? CreatedByApiKey { get; init; }
    public long SizeBytes { get; init; }
    /// <summary>What the import changed; null while it is processing.</summary>
    public ImportSummary? ResultSummary { get; init; }
    public ExportError? Error { get; init; }
    /// <summary>Where the work is while PROCESSING (null before a worker starts on it and once it is finished).</summary>
    public ProcessingProgress? Progress { get; init; }

    /// <summary>The uploaded document, as JSON.</summary>
    [JsonIgnore]
    public string DocumentBlobName => ImportBlobs.Document(Project, Id);

    public ImportRecord Succeeded(ImportSummary summary, DateTimeOffset completedAt) =>
        this with { Status = ExportStatus.Success, ResultSummary = summary, CompletedAt = completedAt, Error = null, Progress = null };

    public ImportRecord Failed(string code, string message, DateTimeOffset completedAt) =>
        this with { Status = ExportStatus.Failed, Error = new ExportError(code, message), CompletedAt = completedAt, Progress = null };
}

/// <summary>Blob names of an import: the document and the plan computed from it when it was accepted.</summary>
public static class ImportBlobs
{
    public static string Document(string projectId, string importId) => $"{projectId}/{importId}.json";

    public static string Plan(string projectId, string importId) => $"{projectId}/{importId}.plan.json";
}

/// <summary>The queue message that asks for an import to be applied.</summary>
public sealed record ImportApplyMessage(
    [property: JsonPropertyName("projectId")] string ProjectId,
    [property: JsonPropertyName("importId")] string ImportId);
