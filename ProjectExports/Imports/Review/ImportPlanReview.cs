namespace ProjectExports.Imports.Review;

/// <summary>
/// A plan as a person reviews it: its id (see <see cref="ImportPlanIds"/>), how many entities it touches, and their
/// entries, destructive ones first. The validate answer carries at most <see cref="MaxEntries"/> entries of at most
/// <see cref="MaxChangesPerEntry"/> changes each (marked <c>truncated</c>); the import's plan download carries all.
/// </summary>
public sealed record ImportPlanReview(string PlanId, int Total, bool Truncated, IReadOnlyList<ImportPlanEntry> Entries)
{
    public const int MaxEntries = 200;
    public const int MaxChangesPerEntry = 20;

    /// <param name="first">At least the first <see cref="MaxEntries"/> entries of each action, in document order (<see cref="ImportReviewWriter"/>).</param>
    /// <param name="total">How many entries the plan has.</param>
    public static ImportPlanReview Capped(string planId, IEnumerable<ImportPlanEntry> first, int total)
    {
        var shown = Ordered(first).Take(MaxEntries).Select(CapChanges).ToList();
        var truncated = total > shown.Count || shown.Any(e => e.ChangesTotal is not null);
        return new ImportPlanReview(planId, total, truncated, shown);
    }

    /// <summary>Review order (<see cref="ImportPlanAction.Rank"/>), document order within an action.</summary>
    public static IEnumerable<ImportPlanEntry> Ordered(IEnumerable<ImportPlanEntry> entries) =>
        entries.OrderBy(e => ImportPlanAction.Rank(e.Action)); // stable

    private static ImportPlanEntry CapChanges(ImportPlanEntry entry) =>
        entry.Changes is { Count: > MaxChangesPerEntry } changes
            ? entry with { Changes = [.. changes.Take(MaxChangesPerEntry)], ChangesTotal = changes.Count }
            : entry;
}
