using System.Text.Json.Serialization;
using ProjectExports.Storage;

namespace ProjectExports.Exports;

[JsonConverter(typeof(JsonStringEnumConverter<ExportStatus>))]
public enum ExportStatus
{
    [JsonStringEnumMemberName("PROCESSING")] Processing,
    [JsonStringEnumMemberName("SUCCESS")] Success,
    [JsonStringEnumMemberName("FAILED")] Failed,
}

public static class ExportStatusNames
{
    /// <summary>The status as the API spells it.</summary>
    public static string ToWireName(this ExportStatus status) => status switch
    {
        ExportStatus.Processing => "PROCESSING",
        ExportStatus.Success => "SUCCESS",
        _ => "FAILED",
    };
}

/// <summary>Why an export failed: a stable code for programs and a message for people.</summary>
public sealed record ExportError(string Code, string Message)
{
    public const string TooLarge = "export_too_large";
    public const string Stalled = "export_stalled";
    public const string ProjectMissing = "project_not_found";
    public const string Failed = "export_failed";
}

/// <summary>One export of a project, as stored and as the API returns it.</summary>
public sealed record ExportRecord : IProcessingRecord
{
    public required string Id { get; init; }
    public required string Project { get; init; }
    public ExportStatus Status { get; init; } = ExportStatus.Processing;
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
    public string? CreatedBy { get; init; }
    public string? CreatedByApiKey { get; init; }
    public bool IncludeIdentityOverrides { get; init; }
    public bool IncludeTags { get; init; } = true;
    public long? SizeBytes { get; init; }
    public string? Sha256 { get; init; }
    public ExportError? Error { get; init; }
    /// <summary>Where the work is while PROCESSING (null before a worker starts on it and once it is finished).</summary>
    public ProcessingProgress? Progress { get; init; }

    /// <summary>The file name a download is offered under.</summary>
    [JsonIgnore]
    public string FileName => $"project-export.{Project}.{Id}.json";

    [JsonIgnore]
    public string BlobName => ExportIds.BlobName(Project, Id);

    public ExportRecord Succeeded(long sizeBytes, string sha256, DateTimeOffset completedAt) =>
        this with { Status = ExportStatus.Success, SizeBytes = sizeBytes, Sha256 = sha256, CompletedAt = completedAt, Error = null, Progress = null };

    public ExportRecord Failed(string code, string message, DateTimeOffset completedAt) =>
        this with { Status = ExportStatus.Failed, Error = new ExportError(code, message), CompletedAt = completedAt, Progress = null };
}
