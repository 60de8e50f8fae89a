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
}
