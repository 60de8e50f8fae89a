using ProjectExports.Storage;

namespace ProjectExports.Projects;

/// <summary>What <see cref="ProjectRowReads"/> read: the JSON at each key that has a row, and each partition's listing of pages.</summary>
public sealed record ProjectRowsRead(Dictionary<ProjectRowKey, byte[]> Rows, IReadOnlyDictionary<string, PageListing> Listings);
