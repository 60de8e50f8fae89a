using Azure;

namespace ProjectExports.Storage;

/// <summary>
/// One write of a page. Writes of one <see cref="Group"/> come from one page read and belong in one transaction when
/// they fit; new pages come before the rewrite of the page they split from, so no moment lacks a row.
/// </summary>
public sealed record RowPageWrite(RowPageWriteKind Kind, string Key, ETag ETag, byte[]? Json, int Group);
