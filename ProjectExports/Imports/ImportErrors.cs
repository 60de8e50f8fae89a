namespace ProjectExports.Imports;

/// <summary>The codes of a failed import's <see cref="Jobs.JobError"/>, and of the problems that refuse one.</summary>
public static class ImportErrors
{
    public const string Failed = "import_failed";
    public const string Stalled = "import_stalled";
    public const string InvalidDocument = "invalid_document";
    public const string ProjectMissing = "project_not_found";
    public const string PlanOutdated = "plan_outdated";
    /// <summary>Rows read back after writing differ from what was written (see the record's <c>differences</c>).</summary>
    public const string Incomplete = "import_incomplete";
    public const string NotFinished = "import_not_finished";
    public const string NothingToRevert = "nothing_to_revert";
    /// <summary>Rows the reverted import wrote have changed since; nothing was written.</summary>
    public const string RevertConflict = "revert_conflict";
}
