using System.Text.Json.Serialization;

namespace ProjectExports.Jobs;

/// <summary>Where a job is: every job starts PROCESSING and moves once, to SUCCESS or FAILED.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<JobStatus>))]
public enum JobStatus
{
    [JsonStringEnumMemberName("PROCESSING")] Processing,
    [JsonStringEnumMemberName("SUCCESS")] Success,
    [JsonStringEnumMemberName("FAILED")] Failed,
}
