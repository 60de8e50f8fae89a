namespace ProjectExports.Jobs;

/// <summary>Why a job failed: a stable code for programs and a message for people.</summary>
public sealed record JobError(string Code, string Message);
