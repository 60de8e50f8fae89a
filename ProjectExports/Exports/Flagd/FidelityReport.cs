using ProjectExports.Imports;

namespace ProjectExports.Exports.Flagd;

/// <summary>
/// The fidelity items an export record keeps: at most <see cref="MaxItems"/>, each cut to <see cref="MaxTextLength"/>
/// characters, so the record's row stays well inside Table Storage's 64 KiB per property whatever the project holds.
/// </summary>
public static class FidelityReport
{
    public const int MaxItems = 50;
    public const int MaxTextLength = 300;

    public static IReadOnlyList<FidelityItem> ForRecord(IReadOnlyList<FidelityItem> items)
    {
        var kept = items.Take(items.Count > MaxItems ? MaxItems - 1 : MaxItems)
            .Select(i => new FidelityItem(Echo.Cut(i.Path, MaxTextLength), Echo.Cut(i.Reason, MaxTextLength))).ToList();
        if (items.Count > MaxItems)
        {
            kept.Add(new FidelityItem("", $"{items.Count - kept.Count} more; the file's metadata lists all {items.Count}."));
        }
        return kept;
    }
}
