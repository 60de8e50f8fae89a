namespace ProjectExports.Exports;

/// <summary>The codes of a failed export's <see cref="Jobs.JobError"/>.</summary>
public static class ExportErrors
{
    public const string TooLarge = "export_too_large";
    public const string Stalled = "export_stalled";
    public const string ProjectMissing = "project_not_found";
    public const string Failed = "export_failed";
}
