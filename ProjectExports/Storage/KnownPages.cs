using Azure;

namespace ProjectExports.Storage;

/// <summary>
/// The partition as this writer's last round left it: every page key, the pages it read and those it wrote (with
/// the ETags the writes answered). Pages are not read twice: the next round, in key order, mostly lands in the
/// last page written, and a transaction must match each page's ETag anyway, so a page another writer changed in
/// between fails it and the round reads again.
/// </summary>
internal sealed record KnownPages(List<string> PageKeys, Dictionary<string, RowPage> Read, Dictionary<string, (ETag ETag, byte[] Json)> Written)
{
    /// <summary>The page keys and the pages covering <paramref name="keys"/>, or null when one of them is not known.</summary>
    public (List<string> PageKeys, Dictionary<string, RowPage> Pages)? Covering(IEnumerable<string> keys)
    {
        var pages = new Dictionary<string, RowPage>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            if (RowPagePlanner.Covering(PageKeys, key) is not { } pageKey || pages.ContainsKey(pageKey)) continue;
            if (Written.TryGetValue(pageKey, out var written)) pages[pageKey] = new RowPage(pageKey, written.ETag, RowPageCodec.DecodeAll(pageKey, written.Json));
            else if (Read.TryGetValue(pageKey, out var read)) pages[pageKey] = read;
            else return null;
        }
        return (PageKeys, pages);
    }
}
