namespace ProjectExports.Http;

/// <summary>A page of a list: the items and an opaque token for the next page, or null on the last.</summary>
public sealed record ListPage<T>(IReadOnlyList<T> Results, string? Next);
