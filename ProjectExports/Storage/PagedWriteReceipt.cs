using Azure;

namespace ProjectExports.Storage;

/// <summary>
/// What a write to a <see cref="PagedPartition"/> did: its transactions, and where it left each of its rows — the page
/// holding it and that page's ETag as written (or as read, for a row that needed no write). A page still at that ETag
/// holds exactly what the write left there, so a listing of page keys confirms the rows without reading them.
/// </summary>
public sealed class PagedWriteReceipt
{
    internal Dictionary<string, (string PageKey, ETag ETag)> Placements { get; } = new(StringComparer.Ordinal);

    public int Transactions { get; internal set; }

    /// <summary>Takes in a later write to the same partition: its placements are the newer ones.</summary>
    public void Add(PagedWriteReceipt later)
    {
        Transactions += later.Transactions;
        foreach (var (key, placement) in later.Placements) Placements[key] = placement;
    }

    /// <summary>
    /// Records where a round left its rows: the page now covering each, at the ETag it was written with (or read at,
    /// when the round did not rewrite it). Rows of earlier rounds on a page this round rewrote moved with it when the
    /// round read that page as they left it; otherwise they are forgotten, and confirming them takes a read.
    /// </summary>
    /// <returns>The page keys after the round.</returns>
    internal List<string> Record(
        IEnumerable<string> keys, List<string> pageKeys, Dictionary<string, RowPage> read, Dictionary<string, ETag?> written, HashSet<string> deleted)
    {
        var after = pageKeys.Where(k => !deleted.Contains(k)).Concat(written.Keys).ToHashSet(StringComparer.Ordinal);
        var afterKeys = after.Order(StringComparer.Ordinal).ToList();
        var moved = new List<string>();
        foreach (var (key, placement) in Placements.Where(p => written.ContainsKey(p.Value.PageKey) || deleted.Contains(p.Value.PageKey)).ToList())
        {
            if (read.TryGetValue(placement.PageKey, out var page) && page.ETag == placement.ETag) moved.Add(key);
            else Placements.Remove(key);
        }
        foreach (var key in moved.Concat(keys))
        {
            var pageKey = RowPagePlanner.Covering(afterKeys, key);
            // A page written without an ETag in its answer is forgotten: its rows are read to be confirmed.
            ETag? etag = pageKey is null ? null
                : written.TryGetValue(pageKey, out var newer) ? newer
                : read.TryGetValue(pageKey, out var page) ? page.ETag
                : null;
            if (etag is { } known) Placements[key] = (pageKey!, known);
            else Placements.Remove(key);
        }
        return afterKeys;
    }
}
