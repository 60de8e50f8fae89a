using System.Text;
using Azure.Core;
using Azure.Data.Tables;
using ProjectExports.Storage;
using ProjectExports.Tests.Infrastructure;

namespace ProjectExports.Tests.Storage;

/// <summary>Partitions written at once on real Azurite, sharing a <see cref="WriteBudget"/>.</summary>
public sealed class PagedPartitionBudgetTests(LocalHostFixture host) : IClassFixture<LocalHostFixture>
{
    /// <summary>Tracks the most transactions (batch requests) in flight at once, from sending to their answer.</summary>
    private sealed class TransactionsInFlight : TransactionPolicy
    {
        private int _now;
        private int _most;

        public int Most => Volatile.Read(ref _most);

        protected override async ValueTask ProcessTransactionAsync(HttpMessage message, Func<ValueTask> send)
        {
            var now = Interlocked.Increment(ref _now);
            InterlockedMax(ref _most, now);
            try
            {
                await send();
            }
            finally
            {
                Interlocked.Decrement(ref _now);
            }
        }

        private static void InterlockedMax(ref int target, int value)
        {
            for (var seen = Volatile.Read(ref target); value > seen; seen = Volatile.Read(ref target))
            {
                if (Interlocked.CompareExchange(ref target, value, seen) == seen) return;
            }
        }
    }


    private static byte[] Json(string key) => Encoding.UTF8.GetBytes($"{{\"key\":\"{key}\",\"pad\":\"{new string('p', 900)}\"}}");

    /// <summary>Writes four partitions at once, each one round (one transaction) of about 1.2 MB, and checks that each holds its rows.</summary>
    private static async Task WriteFourPartitionsAsync(TableClient table, WriteBudget? budget)
    {
        var written = Enumerable.Range(0, 4).Select(p =>
            (Partition: new PagedPartition(table, $"budget-{Guid.NewGuid():N}", budget),
             Rows: Enumerable.Range(0, 1_300).Select(i => $"k{i:D4}").ToDictionary(k => k, k => (byte[]?)Json(k)))).ToList();
        await Task.WhenAll(written.Select(w => w.Partition.WriteAsync(w.Rows, CancellationToken.None)));
        foreach (var (partition, rows) in written)
        {
            var stored = await partition.ReadAsync(null, CancellationToken.None);
            Assert.Equal(rows.Keys.Order(StringComparer.Ordinal), stored.Keys.Order(StringComparer.Ordinal));
            Assert.All(rows, row => Assert.Equal(row.Value, stored[row.Key]));
        }
    }

    [Fact]
    public async Task Partitions_written_at_once_keep_their_rounds_within_the_budget_and_every_row_lands()
    {
        var unbounded = new TransactionsInFlight();
        await WriteFourPartitionsAsync(host.ProjectTableWith(unbounded), budget: null);
        Assert.True(unbounded.Most > 1, "without a budget the four partitions' transactions overlap");

        // Two rounds of 1.2 MB do not fit in 2 MB together: one partition's transaction at a time.
        var bounded = new TransactionsInFlight();
        using var budget = new WriteBudget(2 * 1024 * 1024);
        await WriteFourPartitionsAsync(host.ProjectTableWith(bounded), budget);
        Assert.Equal(1, bounded.Most);
    }
}
