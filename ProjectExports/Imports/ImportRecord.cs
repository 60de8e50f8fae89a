using System.Text.Json.Serialization;
using ProjectExports.Jobs;

namespace ProjectExports.Imports;

/// <summary>
/// One import into a project, as stored and as the API returns it: a job with its strategy, its document's size and
/// what it changed. A revert is an import too (<see cref="Reverts"/> names the import it takes back).
/// </summary>
public sealed record ImportRecord : JobRecord<ImportRecord>
{
    [JsonPropertyOrder(-7)]
    public ImportStrategy Strategy { get; init; }

    /// <summary>The document's size; for a revert, that of the reverted import's document.</summary>
    public long SizeBytes { get; init; }

    /// <summary>The <c>environment_map</c> option as given (source name → target name); null when none was.</summary>
    public IReadOnlyDictionary<string, string>? EnvironmentMap { get; init; }

    /// <summary>The <c>environments</c> option as given (source names); null when none was.</summary>
    public IReadOnlyList<string>? Environments { get; init; }

    /// <summary>The id of the plan it applies (<see cref="Review.ImportPlanIds"/>), as validate shows it.</summary>
    public string? PlanId { get; init; }

    /// <summary>Where the reviewed plan downloads from, every entry of it (GET …/project-imports/{id}/plan); null for a revert, which has no plan of its own.</summary>
    public string? PlanUrl => Reverts is null ? $"/{Http.Routes.Prefix}/projects/{Uri.EscapeDataString(Project)}/project-imports/{Id}/plan" : null;

    /// <summary>The id of the import this one reverts; null for an import of a document.</summary>
    public string? Reverts { get; init; }

    /// <summary>What the import changed; null while it is processing, and for a revert.</summary>
    public ImportSummary? ResultSummary { get; init; }

    /// <summary>What a revert put back; null while it is processing, and for an import of a document.</summary>
    public RevertSummary? RevertSummary { get; init; }

    /// <summary>
    /// Entities not as expected: after <c>import_incomplete</c>, those whose rows read back differ from what was written;
    /// after a revert's <c>revert_conflict</c>, those changed since the reverted import. Null otherwise.
    /// </summary>
    public ImportEntityList? Differences { get; init; }

    /// <summary>For a forced revert once finished, the entities it overwrote that had changed since the import; null otherwise.</summary>
    public ImportEntityList? Overwritten { get; init; }

    /// <summary>Whether a revert goes ahead over later changes (<c>?force=true</c>); kept for its apply step, shown as <see cref="Overwritten"/>.</summary>
    [JsonIgnore]
    public bool Force { get; init; }

    /// <summary>The uploaded document, as JSON.</summary>
    [JsonIgnore]
    public string DocumentBlobName => ImportBlobs.Document(Project, Id);

    public ImportRecord Succeeded(ImportSummary summary, DateTimeOffset completedAt) =>
        Succeeded(completedAt) with { ResultSummary = summary };

    public ImportRecord Reverted(RevertSummary summary, DateTimeOffset completedAt) =>
        Succeeded(completedAt) with { RevertSummary = summary };
}
