namespace ProjectExports.Jobs;

/// <summary>What one cleanup run did, kind by kind.</summary>
public sealed record CleanupResult(IReadOnlyList<JobCleanupCount> Kinds)
{
    /// <summary>The counts of the kind named <paramref name="noun"/> ("export", "import").</summary>
    public JobCleanupCount Of(string noun) => Kinds.Single(k => k.Noun == noun);
}
