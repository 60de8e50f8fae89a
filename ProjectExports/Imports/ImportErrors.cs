namespace ProjectExports.Imports;

/// <summary>The codes of a failed import's <see cref="Jobs.JobError"/>, and of the problems that refuse one.</summary>
public static class ImportErrors
{
    public const string Failed = "import_failed";
    public const string Stalled = "import_stalled";
    public const string InvalidDocument = "invalid_document";
    public const string ProjectMissing = "project_not_found";
    public const string PlanOutdated = "plan_outdated";
}
