namespace ProjectExports.Jobs;

/// <summary>What every kind of job shares, bound from the configuration section <c>Jobs</c> (app settings <c>Jobs__…</c>).</summary>
public sealed class JobOptions
{
    public const string SectionName = "Jobs";

    /// <summary>A job still PROCESSING after this long is marked FAILED (<c>export_stalled</c>, <c>import_stalled</c>).</summary>
    public TimeSpan StallTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Deliveries of one queue message before its job is given up (keep equal to host.json's maxDequeueCount).</summary>
    public int MaxDequeueCount { get; set; } = 5;
}
