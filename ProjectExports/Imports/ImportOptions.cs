namespace ProjectExports.Imports;

/// <summary>Import settings, bound from the configuration section <c>Imports</c> (app settings <c>Imports__…</c>).</summary>
public sealed class ImportOptions
{
    public const string SectionName = "Imports";

    /// <summary>Largest document an import accepts (bytes as uploaded); larger → 413 <c>body_too_large</c>.</summary>
    public long MaxDocumentBytes { get; set; } = 10_000_000;

    /// <summary>How many documents over <see cref="LargeDocumentBytes"/> are parsed at once; more → 503 <c>too_busy</c> (see <see cref="ImportAdmission"/>).</summary>
    public int MaxConcurrentLargeDocuments { get; set; } = 2;

    /// <summary>A request whose Content-Length is above this (or unknown) counts as a large document.</summary>
    public long LargeDocumentBytes { get; set; } = 1_000_000;

    /// <summary>The Retry-After given with a <c>too_busy</c> refusal (whole seconds).</summary>
    public TimeSpan BusyRetryAfter { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long import records and their stored documents are kept.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(14);
}
