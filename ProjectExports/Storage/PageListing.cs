using Azure;

namespace ProjectExports.Storage;

/// <summary>
/// A partition's page keys in key order, each with its ETag, as one read saw them. A writer may start from an earlier
/// reader's listing instead of listing again: a page another writer added since came with a rewrite of the page that
/// covered its keys, so a transaction planned on the stale listing fails that page's ETag check and reads again.
/// </summary>
public sealed class PageListing
{
    private readonly Dictionary<string, ETag> _etags;

    internal PageListing(Dictionary<string, ETag> etags)
    {
        _etags = etags;
        Keys = etags.Keys.Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>Every page key, in ordinal order.</summary>
    internal List<string> Keys { get; }

    internal ETag ETagOf(string pageKey) => _etags[pageKey];
}
