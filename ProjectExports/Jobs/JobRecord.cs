using System.Text.Json.Serialization;

namespace ProjectExports.Jobs;

/// <summary>
/// What every job's record holds, as stored and as the API returns it; a kind adds its own fields. The order pins
/// the shared fields around the kind's own in the JSON (id, project and status first; error and progress last).
/// </summary>
public abstract record JobRecord<TSelf> where TSelf : JobRecord<TSelf>
{
    [JsonPropertyOrder(-10)]
    public string Id { get; init; } = "";

    [JsonPropertyOrder(-9)]
    public string Project { get; init; } = "";

    [JsonPropertyOrder(-8)]
    public JobStatus Status { get; init; } = JobStatus.Processing;

    [JsonPropertyOrder(-6)]
    public DateTimeOffset CreatedAt { get; init; }

    [JsonPropertyOrder(-5)]
    public DateTimeOffset? CompletedAt { get; init; }

    [JsonPropertyOrder(-4)]
    public string? CreatedBy { get; init; }

    [JsonPropertyOrder(-3)]
    public string? CreatedByApiKey { get; init; }

    [JsonPropertyOrder(10)]
    public JobError? Error { get; init; }

    /// <summary>Where the work is while PROCESSING (null before a worker starts on it and once it is finished).</summary>
    [JsonPropertyOrder(11)]
    public ProcessingProgress? Progress { get; init; }

    public TSelf Failed(string code, string message, DateTimeOffset completedAt) =>
        (TSelf)(this with { Status = JobStatus.Failed, Error = new JobError(code, message), CompletedAt = completedAt, Progress = null });

    /// <summary>The record finished well; the kind sets its result fields on what this returns.</summary>
    protected TSelf Succeeded(DateTimeOffset completedAt) =>
        (TSelf)(this with { Status = JobStatus.Success, CompletedAt = completedAt, Error = null, Progress = null });
}
