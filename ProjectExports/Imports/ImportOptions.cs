namespace ProjectExports.Imports;

/// <summary>Import settings, bound from the configuration section <c>Imports</c> (app settings <c>Imports__…</c>).</summary>
public sealed class ImportOptions
{
    public const string SectionName = "Imports";

    /// <summary>Largest document an import accepts (bytes as uploaded); larger → 413 <c>body_too_large</c>.</summary>
    public long MaxDocumentBytes { get; set; } = 10_000_000;

    /// <summary>How long import records and their stored documents are kept.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(14);
}
