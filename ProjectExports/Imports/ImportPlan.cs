using ProjectExports.Projects;

namespace ProjectExports.Imports;

/// <summary>
/// Everything one import writes, computed once (when the import is accepted) against the project as it was then and
/// stored, so every delivery of the apply step applies the same writes and reports the same summary.
/// </summary>
public sealed class ImportPlan
{
    public ProjectChanges Changes { get; set; } = new();
    public ImportSummary Summary { get; set; } = new();
    public List<ImportIssue> Warnings { get; set; } = [];
}
