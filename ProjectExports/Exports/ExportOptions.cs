namespace ProjectExports.Exports;

/// <summary>Export settings, bound from the configuration section <c>Exports</c> (app settings <c>Exports__…</c>).</summary>
public sealed class ExportOptions
{
    public const string SectionName = "Exports";

    /// <summary>Largest document an export may produce; a larger one fails with <c>export_too_large</c>.</summary>
    public long MaxDocumentBytes { get; set; } = 10_000_000;

    /// <summary>How long exports (records and files) are kept.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(14);

    /// <summary>An export still PROCESSING after this long is marked FAILED with <c>export_stalled</c>.</summary>
    public TimeSpan StallTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Deliveries of one build message before it is given up (keep equal to host.json's maxDequeueCount).</summary>
    public int MaxDequeueCount { get; set; } = 5;
}
