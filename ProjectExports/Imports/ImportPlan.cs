using ProjectExports.Projects;

namespace ProjectExports.Imports;

/// <summary>
/// Everything one import writes, computed once (when the import is accepted) against the project as it was then and
/// stored, so every delivery of the apply step applies the same writes and reports the same summary.
/// </summary>
public sealed class ImportPlan
{
    /// <summary>
    /// The planner's changes, as entities, held while planning: each environment's data only until its rows are
    /// stored (<see cref="ImportPlanner.Plan"/>), the rest until the plan's stored form is complete (<see cref="ReleaseChanges"/>).
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public ProjectChanges Changes { get; set; } = new();

    /// <summary>The rows of a stored plan read back whole (<see cref="ImportPlanFormat.ReadAsync"/>).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IEnumerable<ProjectRow> Rows { get; set; } = [];

    /// <summary>Lets go of <see cref="Changes"/> once their rows are checked (and, for an import, stored): the plan then holds no models while it goes up.</summary>
    public void ReleaseChanges() => Changes = new ProjectChanges();

    /// <summary>The plan as it is stored (<see cref="ImportPlanWriter"/>), made when an import is accepted.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public BinaryData? Stored { get; set; }
    public ImportSummary Summary { get; set; } = new();
    public List<ImportIssue> Warnings { get; set; } = [];

    /// <summary>Its id (<see cref="Review.ImportPlanIds"/>): the document, strategy and options, and the project's state it was made from.</summary>
    public string Id { get; set; } = "";

    /// <summary>The project's rows the plan was made from (<see cref="Scope"/>), hashed (<see cref="Review.ImportPlanIds.StateHash"/>).</summary>
    public string StateHash { get; set; } = "";

    public ImportTargetScope Scope { get; set; } = new([], []);

    /// <summary>
    /// Set when the caller imports a plan they reviewed (<c>?plan_id=</c>): the apply step then writes only if the
    /// project is still as the plan found it, which it checks before its first write.
    /// </summary>
    public bool RequiresPlannedState { get; set; }

    /// <summary>
    /// The review as it is stored (<see cref="Review.ImportReviewWriter.Complete"/>): one entry per entity the document
    /// touches. Stored apart from the writes (<see cref="ImportPlanStore"/>), which the apply step alone reads.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public BinaryData? StoredReview { get; set; }
}
