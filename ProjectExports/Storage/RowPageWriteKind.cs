namespace ProjectExports.Storage;

/// <summary>What a <see cref="RowPageWrite"/> does to its page, each conditional so that racing writers cannot lose rows.</summary>
public enum RowPageWriteKind
{
    /// <summary>A new page: fails if another writer created it first.</summary>
    Add,
    /// <summary>A page rewritten: fails unless it still has the ETag it was read with.</summary>
    Replace,
    /// <summary>A page emptied: fails unless it still has the ETag it was read with.</summary>
    Delete,
}
