namespace ProjectExports.Benchmarks.Counting;

/// <summary>
/// Storage work on one table, by kind of request, with the entities the responses carried (read) and the requests
/// carried (written). Machine-independent: the same project and the same code give the same counts.
/// </summary>
public readonly record struct StorageCounts(long QueryPages, long PointReads, long Transactions, long SingleWrites, long EntitiesRead, long EntitiesWritten)
{
    public long Requests => QueryPages + PointReads + Transactions + SingleWrites;

    public static StorageCounts operator -(StorageCounts after, StorageCounts before) => new(
        after.QueryPages - before.QueryPages, after.PointReads - before.PointReads, after.Transactions - before.Transactions,
        after.SingleWrites - before.SingleWrites, after.EntitiesRead - before.EntitiesRead, after.EntitiesWritten - before.EntitiesWritten);

    public override string ToString() =>
        $"{Requests:N0} requests ({QueryPages:N0} query pages, {PointReads:N0} point reads, {Transactions:N0} transactions, {SingleWrites:N0} single writes), " +
        $"{EntitiesRead:N0} entities read, {EntitiesWritten:N0} written";
}
