using System.Text.Json.Serialization;
using ProjectExports.Exports.Flagd;
using ProjectExports.Jobs;

namespace ProjectExports.Exports;

/// <summary>One export of a project, as stored and as the API returns it: a job with what was asked for and what was made.</summary>
public sealed record ExportRecord : JobRecord<ExportRecord>
{
    public bool IncludeIdentityOverrides { get; init; }
    public bool IncludeTags { get; init; } = true;

    /// <summary>The environments, features and tags the export is limited to; null when it exports the whole project.</summary>
    public SelectedNames? Selection { get; init; }
    public ExportFormat Format { get; init; } = ExportFormat.Json;
    public long? SizeBytes { get; init; }
    public string? Sha256 { get; init; }

    /// <summary>
    /// For a flagd export, what the file could not say as the project means it (empty when nothing; the first
    /// <see cref="FidelityReport.MaxItems"/>, the file's metadata has them all); null for other formats.
    /// </summary>
    public IReadOnlyList<FidelityItem>? Fidelity { get; init; }

    /// <summary>The file name a download is offered under.</summary>
    [JsonIgnore]
    public string FileName => $"project-export.{Project}.{Id}.{Format.Extension()}";

    [JsonIgnore]
    public string BlobName => ExportIds.BlobName(Project, Id, Format);

    public ExportRecord Succeeded(long sizeBytes, string sha256, DateTimeOffset completedAt) =>
        Succeeded(completedAt) with { SizeBytes = sizeBytes, Sha256 = sha256 };
}
