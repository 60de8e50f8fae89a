using Azure;

namespace ProjectExports.Storage;

/// <summary>
/// One write of a page. Writes of one <see cref="Group"/> come from one page read and go in one transaction, so a page
/// and the pages split from it change together; new pages come before the rewrite of the page they split from.
/// </summary>
public sealed record RowPageWrite(RowPageWriteKind Kind, string Key, ETag ETag, byte[]? Json, int Group);
