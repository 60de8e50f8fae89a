using Azure.Data.Tables;
using ProjectExports.Storage;

namespace ProjectExports.Benchmarks;

/// <summary>How the import floor groups the stored rows it rewrites: as many per transaction as Table Storage takes.</summary>
public static class FloorTransactions
{
    /// <summary>Transactions of one partition each, closed at 100 rows or at <see cref="TableTransactions.MaxPayloadBytes"/>.</summary>
    public static IEnumerable<TableEntity[]> Batches(IEnumerable<TableEntity> entities)
    {
        foreach (var partition in entities.GroupBy(e => e.PartitionKey))
        {
            var batch = new List<TableEntity>(TableTransactions.MaxOperations);
            long payload = 0;
            foreach (var entity in partition)
            {
                var size = TableTransactions.PayloadBytes(entity);
                if (batch.Count == TableTransactions.MaxOperations || (batch.Count > 0 && payload + size > TableTransactions.MaxPayloadBytes))
                {
                    yield return [.. batch];
                    batch.Clear();
                    payload = 0;
                }
                batch.Add(entity);
                payload += size;
            }
            if (batch.Count > 0)
            {
                yield return [.. batch];
            }
        }
    }
}
