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

    public static ImportPlanReview Full(string planId, IEnumerable<ImportPlanEntry> entries)
    {
        var ordered = Ordered(entries).ToList();
        return new ImportPlanReview(planId, ordered.Count, false, ordered);
    }

    public static ImportPlanReview Capped(string planId, IReadOnlyCollection<ImportPlanEntry> entries)
    {
        var shown = Ordered(entries).Take(MaxEntries).Select(CapChanges).ToList();
        var truncated = entries.Count > shown.Count || shown.Any(e => e.ChangesTotal is not null);
        return new ImportPlanReview(planId, entries.Count, truncated, shown);
    }

    private static IEnumerable<ImportPlanEntry> Ordered(IEnumerable<ImportPlanEntry> entries) =>
        entries.OrderBy(e => ImportPlanAction.Rank(e.Action)); // stable: document order within an action

    private static ImportPlanEntry CapChanges(ImportPlanEntry entry) =>
        entry.Changes is { Count: > MaxChangesPerEntry } changes
            ? entry with { Changes = [.. changes.Take(MaxChangesPerEntry)], ChangesTotal = changes.Count }
            : entry;
}
