namespace ProjectExports.Imports;

/// <summary>The codes of a failed import's <see cref="Jobs.JobError"/>.</summary>
public static class ImportErrors
{
    public const string Failed = "import_failed";
    public const string Stalled = "import_stalled";
    public const string InvalidDocument = "invalid_document";
    public const string ProjectMissing = "project_not_found";
}
