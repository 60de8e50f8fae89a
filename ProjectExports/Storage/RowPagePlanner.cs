namespace ProjectExports.Storage;

/// <summary>
/// Decides how a partition's pages change when logical rows are upserted or deleted. A page covers the keys from its
/// own lower bound up to the next page's (the head page "!" from the lowest); a row lives in the page covering its key.
/// Only pages holding a changed row are rewritten, each split into pieces of at most
/// <see cref="RowPageCodec.TargetBytes"/> that keep their order, and a page that ends up empty is deleted (but the
/// head page while other pages exist, which stays empty). Rows a page holds outside its range (which a page and its
/// split, written in one transaction, never leave; a page edited by hand or by another version could) are dropped
/// when it is rewritten, as readers ignore them. Rows equal to what is stored change nothing: writing the same rows
/// again writes no page.
/// </summary>
public static class RowPagePlanner
{
    /// <param name="pageKeys">Every page key of the partition, in ordinal order.</param>
    /// <param name="pages">The pages read, at least every page covering a key of <paramref name="changes"/>.</param>
    /// <param name="changes">Each logical key with its new JSON, or null to delete it.</param>
    public static List<RowPageWrite> Plan(
        IReadOnlyList<string> pageKeys, IReadOnlyDictionary<string, RowPage> pages, IEnumerable<KeyValuePair<string, byte[]?>> changes, int targetBytes = RowPageCodec.TargetBytes)
    {
        var byPage = new SortedDictionary<string, List<KeyValuePair<string, byte[]?>>>(StringComparer.Ordinal);
        foreach (var change in changes)
        {
            var pageKey = Covering(pageKeys, change.Key) ?? RowPageCodec.HeadKey;
            if (!byPage.TryGetValue(pageKey, out var list)) byPage[pageKey] = list = [];
            list.Add(change);
        }
        var writes = new List<RowPageWrite>();
        var group = 0;
        foreach (var (pageKey, pageChanges) in byPage)
        {
            var existing = pages.GetValueOrDefault(pageKey);
            if (existing is null && pageKeys.Contains(pageKey))
            {
                throw new InvalidOperationException($"Page {pageKey} holds a changed row but was not read.");
            }
            var upper = Next(pageKeys, pageKey);
            var rows = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
            var changed = false;
            foreach (var (key, json) in existing?.Rows ?? [])
            {
                if (InRange(key, pageKey, upper)) rows[key] = json;
                else changed = true;
            }
            foreach (var (key, json) in pageChanges)
            {
                if (json is null) changed |= rows.Remove(key);
                else if (!rows.TryGetValue(key, out var stored) || !stored.AsSpan().SequenceEqual(json))
                {
                    rows[key] = json;
                    changed = true;
                }
            }
            if (!changed) continue;
            group++;
            if (rows.Count == 0 && existing is not null && pageKey == RowPageCodec.HeadKey && pageKeys.Count > 1)
            {
                // The head page stays, empty, while other pages exist: a writer that found the partition empty adds a
                // head page, and its Add must fail on this one rather than land beside pages it never saw.
                writes.Add(new(RowPageWriteKind.Replace, pageKey, existing.ETag, RowPageCodec.Encode([]), group));
                continue;
            }
            if (rows.Count == 0)
            {
                if (existing is not null) writes.Add(new(RowPageWriteKind.Delete, pageKey, existing.ETag, null, group));
                continue;
            }
            var pieces = Split(rows, pageKey, targetBytes);
            for (var i = 1; i < pieces.Count; i++)
            {
                writes.Add(new(RowPageWriteKind.Add, RowPageCodec.PageKeyOf(pieces[i][0].Key), default, RowPageCodec.Encode(pieces[i]), group));
            }
            writes.Add(existing is null
                ? new(RowPageWriteKind.Add, pageKey, default, RowPageCodec.Encode(pieces[0]), group)
                : new(RowPageWriteKind.Replace, pageKey, existing.ETag, RowPageCodec.Encode(pieces[0]), group));
        }
        return writes;
    }

    /// <summary>The greatest page key at or below the key's page key, or null when the key sorts below every page.</summary>
    public static string? Covering(IReadOnlyList<string> pageKeys, string rowKey)
    {
        var target = RowPageCodec.PageKeyOf(rowKey);
        int low = 0, high = pageKeys.Count - 1;
        string? found = null;
        while (low <= high)
        {
            var mid = (low + high) / 2;
            if (string.CompareOrdinal(pageKeys[mid], target) <= 0)
            {
                found = pageKeys[mid];
                low = mid + 1;
            }
            else high = mid - 1;
        }
        return found;
    }

    /// <summary>Whether a row belongs in the page: at or above its lower bound, below the next page's.</summary>
    public static bool InRange(string rowKey, string pageKey, string? nextPageKey) =>
        string.CompareOrdinal(rowKey, RowPageCodec.LowerBoundOf(pageKey)) >= 0
        && (nextPageKey is null || string.CompareOrdinal(rowKey, RowPageCodec.LowerBoundOf(nextPageKey)) < 0);

    private static string? Next(IReadOnlyList<string> pageKeys, string pageKey)
    {
        foreach (var key in pageKeys)
        {
            if (string.CompareOrdinal(key, pageKey) > 0) return key;
        }
        return null;
    }

    /// <summary>
    /// Consecutive pieces of at most <paramref name="targetBytes"/> (a larger row alone), the first keeping the page's
    /// key. A piece only starts at a row whose page key is a valid key, so a long key stays in the piece before it.
    /// </summary>
    private static List<List<KeyValuePair<string, byte[]>>> Split(SortedDictionary<string, byte[]> rows, string pageKey, int targetBytes)
    {
        var pieces = new List<List<KeyValuePair<string, byte[]>>> { new() };
        long bytes = 2;
        foreach (var row in rows)
        {
            var size = RowPageCodec.EntryBytes(row.Key, row.Value.Length);
            var piece = pieces[^1];
            if (piece.Count > 0 && bytes + size > targetBytes && RowPageCodec.PageKeyOf(row.Key).Length <= TableKeys.MaxKeyLength
                && string.CompareOrdinal(RowPageCodec.PageKeyOf(row.Key), pageKey) > 0)
            {
                pieces.Add(piece = []);
                bytes = 2;
            }
            piece.Add(row);
            bytes += size;
        }
        return pieces;
    }
}
