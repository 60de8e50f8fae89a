namespace ProjectExports.Jobs;

/// <summary>What one cleanup run did to one kind of job: how many it failed as stalled and how many it deleted.</summary>
public sealed record JobCleanupCount(string Noun, int Stalled, int Deleted);
