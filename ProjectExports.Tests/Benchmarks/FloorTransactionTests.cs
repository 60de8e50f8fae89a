using Azure.Data.Tables;
using ProjectExports.Benchmarks;

namespace ProjectExports.Tests.Benchmarks;

/// <summary>The import floor splits its writes into transactions Table Storage accepts: one partition, at most 100 rows, at most 4 MiB.</summary>
public sealed class FloorTransactionTests
{
    private static TableEntity Row(string partition, int i, int dataBytes) => new(partition, $"r{i:D5}") { ["Data"] = new byte[dataBytes] };

    [Fact]
    public void Large_entities_are_split_so_no_transaction_nears_4_MiB()
    {
        var rows = Enumerable.Range(0, 12).Select(i => Row("p", i, 900_000)).ToList();

        var batches = FloorTransactions.Batches(rows).ToList();

        Assert.All(batches, b => Assert.True(b.Sum(e => ((byte[])e["Data"]).Length) * 4 / 3 < 4 * 1024 * 1024));
        Assert.True(batches.Count >= 4);
        Assert.Equal(rows.Select(r => r.RowKey), batches.SelectMany(b => b).Select(r => r.RowKey));
    }

    [Fact]
    public void Small_entities_fill_transactions_of_100_and_partitions_never_mix()
    {
        var rows = Enumerable.Range(0, 250).Select(i => Row(i % 2 == 0 ? "a" : "b", i, 100)).ToList();

        var batches = FloorTransactions.Batches(rows).ToList();

        Assert.All(batches, b => Assert.Single(b.Select(e => e.PartitionKey).Distinct()));
        Assert.Equal([100, 25, 100, 25], batches.Select(b => b.Length));
    }
}
