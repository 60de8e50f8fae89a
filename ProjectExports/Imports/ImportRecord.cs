using System.Text.Json.Serialization;
using ProjectExports.Jobs;

namespace ProjectExports.Imports;

/// <summary>One import into a project, as stored and as the API returns it: a job with its strategy, its document's size and what it changed.</summary>
public sealed record ImportRecord : JobRecord<ImportRecord>
{
    [JsonPropertyOrder(-7)]
    public ImportStrategy Strategy { get; init; }

    public long SizeBytes { get; init; }

    /// <summary>The <c>environment_map</c> option as given (source name → target name); null when none was.</summary>
    public IReadOnlyDictionary<string, string>? EnvironmentMap { get; init; }

    /// <summary>The <c>environments</c> option as given (source names); null when none was.</summary>
    public IReadOnlyList<string>? Environments { get; init; }
    /// <summary>The id of the plan it applies (<see cref="Review.ImportPlanIds"/>), as validate shows it.</summary>
    public string? PlanId { get; init; }

    /// <summary>Where the reviewed plan downloads from, every entry of it (GET …/project-imports/{id}/plan).</summary>
    public string PlanUrl => $"/{Http.Routes.Prefix}/projects/{Uri.EscapeDataString(Project)}/project-imports/{Id}/plan";

    /// <summary>What the import changed; null while it is processing.</summary>
    public ImportSummary? ResultSummary { get; init; }

    /// <summary>The uploaded document, as JSON.</summary>
    [JsonIgnore]
    public string DocumentBlobName => ImportBlobs.Document(Project, Id);

    public ImportRecord Succeeded(ImportSummary summary, DateTimeOffset completedAt) =>
        Succeeded(completedAt) with { ResultSummary = summary };
}
