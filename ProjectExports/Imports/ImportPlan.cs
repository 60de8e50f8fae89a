using ProjectExports.Projects;

namespace ProjectExports.Imports;

/// <summary>
/// Everything one import writes, computed once (when the import is accepted) against the project as it was then and
/// stored, so every delivery of the apply step applies the same writes and reports the same summary.
/// </summary>
public sealed class ImportPlan
{
    /// <summary>The planner's changes, as entities; held while planning, and stored as <see cref="Rows"/>.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public ProjectChanges Changes { get; set; } = new();

    /// <summary>
    /// The rows <see cref="Changes"/> write. When the import is accepted they are built one at a time, checked against
    /// the storage limits and written into the plan's stored form (<see cref="Stored"/>), never all held; the apply step
    /// loads them as they will be stored, with no entity to build again.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IEnumerable<ProjectRow> Rows { get; set; } = [];

    /// <summary>
    /// Lets go of <see cref="Changes"/> and <see cref="Rows"/> once the rows are checked (and, for an import, stored):
    /// the models they were made from, most of a large document's memory, are then not held while the plan goes up.
    /// </summary>
    public void ReleaseRows() => (Changes, Rows) = (new ProjectChanges(), []);

    /// <summary>The plan as it is stored (<see cref="ImportPlanFormat.Compress"/>), made when an import is accepted.</summary>
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

    /// <summary>The review: one entry per entity the document touches. Stored apart from the writes (<see cref="ImportPlanStore"/>), which the apply step alone reads.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public List<Review.ImportPlanEntry> Entries { get; set; } = [];
}
