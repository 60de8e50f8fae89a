namespace ProjectExports.Exports;

/// <summary>Export settings, bound from the configuration section <c>Exports</c> (app settings <c>Exports__…</c>).</summary>
public sealed class ExportOptions
{
    public const string SectionName = "Exports";

    /// <summary>Largest document an export may produce; a larger one fails with <c>export_too_large</c>.</summary>
    public long MaxDocumentBytes { get; set; } = 10_000_000;

    /// <summary>How long exports (records and files) are kept.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(14);
}
