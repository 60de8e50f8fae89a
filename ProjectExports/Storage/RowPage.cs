using Azure;

namespace ProjectExports.Storage;

/// <summary>One page as read for writing: its RowKey, its ETag (what a rewrite must still match) and the rows it holds.</summary>
public sealed record RowPage(string Key, ETag ETag, SortedDictionary<string, byte[]> Rows);
