using System.Text;
using Azure.Core;
using Azure.Data.Tables;
using ProjectExports.Storage;
using ProjectExports.Tests.Infrastructure;

namespace ProjectExports.Tests.Storage;

/// <summary>
/// A write that starts from an earlier read's listing of pages (as an import's apply step does after reading the rows
/// for its snapshot), on real Azurite: it lists nothing itself, and when another writer changed the pages in between
/// it still lands every row once, whatever the listing said.
/// </summary>
public sealed class PageListingTests(LocalHostFixture host) : IClassFixture<LocalHostFixture>
{
    /// <summary>Counts listings of page keys: queries that select the RowKey alone.</summary>
    private sealed class Listings : RequestObserver
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        protected override void Observe(Request request)
        {
            if (request.Method == RequestMethod.Get && Uri.UnescapeDataString(request.Uri.ToUri().Query).Contains("$select=RowKey", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _count);
            }
        }
    }

    private readonly Listings _listings = new();


    private TableClient Table => host.Storage.Tables.GetTableClient(StorageNames.ProjectConfigurationTable);

    private static byte[] Json(string key, int bytes) => Encoding.UTF8.GetBytes($"{{\"key\":\"{key}\",\"pad\":\"{new string('p', bytes)}\"}}");

    private static Dictionary<string, byte[]?> Rows(IEnumerable<string> keys, string tag = "") => keys.ToDictionary(k => k, k => (byte[]?)Json(k + tag, 900));

    private async Task<List<string>> StreamedKeysAsync(string partition)
    {
        var keys = new List<string>();
        await TableRowReader.ReadAsync(Table, ProjectExports.Projects.ProjectStore.PartitionFilter(partition), static (key, _) => key,
            (batch, _) => { keys.AddRange(batch); return ValueTask.CompletedTask; }, CancellationToken.None);
        return keys;
    }

    /// <summary>The partition holds exactly <paramref name="expected"/>, each row once and in its page's range.</summary>
    private async Task AssertHoldsAsync(PagedPartition partition, Dictionary<string, byte[]?> expected)
    {
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), await StreamedKeysAsync(partition.PartitionKey));
        var stored = await partition.ReadAsync(null, CancellationToken.None);
        Assert.All(expected, row => Assert.Equal(row.Value, stored[row.Key]));
    }

    [Theory]
    [InlineData(1)] // point reads of the covering page
    [InlineData(40)] // one streamed read of the partition
    public async Task A_write_starting_from_a_reads_listing_lists_no_pages_and_lands_as_one_that_lists(int keysRead)
    {
        var name = $"listed-{Guid.NewGuid():N}";
        var existing = Rows(Enumerable.Range(0, 300).Select(i => $"k{i:D3}"));
        await new PagedPartition(Table, name).WriteAsync(existing, CancellationToken.None);
        var partition = new PagedPartition(host.ProjectTableWith(_listings), name);
        var changes = Rows(existing.Keys.Take(keysRead), "-changed");

        var (read, listing) = await partition.ReadListedAsync(changes.Keys.ToList(), CancellationToken.None);
        Assert.Equal(changes.Keys, read.Keys.Order(StringComparer.Ordinal));
        var listedByRead = _listings.Count;
        var receipt = await partition.WriteAsync(changes, listing, CancellationToken.None);

        Assert.Equal(listedByRead, _listings.Count);
        Assert.Equal(1, receipt.Transactions);
        var stored = await partition.ReadAsync(null, CancellationToken.None);
        Assert.All(existing, row => Assert.Equal(changes.GetValueOrDefault(row.Key) ?? row.Value, stored[row.Key]));
        // Without a listing the same write lists the pages first.
        await partition.WriteAsync(Rows(changes.Keys, "-again"), CancellationToken.None);
        Assert.Equal(listedByRead + 1, _listings.Count);
    }

    [Fact]
    public async Task A_write_from_a_listing_another_writer_changed_since_reads_again_and_every_row_lands_once()
    {
        var name = $"stale-{Guid.NewGuid():N}";
        var partition = new PagedPartition(Table, name);
        var existing = Rows(Enumerable.Range(0, 300).Select(i => $"k{i:D3}"));
        await partition.WriteAsync(existing, CancellationToken.None);
        var ours = Rows(Enumerable.Range(0, 60).Select(i => $"k150-{i:D2}").Concat(Enumerable.Range(0, 60).Select(i => $"z{i:D2}")), "-ours");
        var (_, listing) = await partition.ReadListedAsync(ours.Keys.ToList(), CancellationToken.None);

        // Another writer splits the page our rows in k150's range fall in, and adds pages at the end, where ours go too.
        var theirs = Rows(Enumerable.Range(0, 80).Select(i => $"k150-{i:D2}x").Concat(Enumerable.Range(0, 80).Select(i => $"y{i:D2}")), "-theirs");
        await new PagedPartition(Table, name).WriteAsync(theirs, CancellationToken.None);
        await partition.WriteAsync(ours, listing, CancellationToken.None);

        var expected = existing.Concat(theirs).Concat(ours).ToDictionary();
        await AssertHoldsAsync(partition, expected);
    }

    [Fact]
    public async Task A_write_from_the_listing_of_an_empty_partition_finds_the_head_page_another_writer_filled_and_emptied_since()
    {
        var name = $"head-{Guid.NewGuid():N}";
        var partition = new PagedPartition(Table, name);
        var ours = Rows(["a", "k150x"], "-ours");
        var (_, listing) = await partition.ReadListedAsync(ours.Keys.ToList(), CancellationToken.None);

        // Another writer fills the partition's pages, then deletes every row of its head page: the head page stays,
        // empty, so our write (which found no page and adds a head page) fails and reads again instead of putting
        // k150x in a head page that does not cover it.
        var other = new PagedPartition(Table, name);
        var theirs = Rows(Enumerable.Range(0, 300).Select(i => $"k{i:D3}"));
        await other.WriteAsync(theirs, CancellationToken.None);
        var pageKeys = new List<string>();
        await foreach (var page in Table.QueryAsync<TableEntity>(ProjectExports.Projects.ProjectStore.PartitionFilter(name), select: ["RowKey"])) pageKeys.Add(page.RowKey);
        Assert.True(pageKeys.Count > 2, $"{pageKeys.Count} pages");
        var inHead = theirs.Keys.Where(k => RowPagePlanner.Covering(pageKeys, k) == RowPageCodec.HeadKey).ToList();
        await other.WriteAsync(inHead.ToDictionary(k => k, _ => (byte[]?)null), CancellationToken.None);
        await partition.WriteAsync(ours, listing, CancellationToken.None);

        var expected = theirs.Where(r => !inHead.Contains(r.Key)).Concat(ours).ToDictionary();
        await AssertHoldsAsync(partition, expected);
    }

    [Fact]
    public async Task A_write_from_the_listing_of_an_empty_partition_another_writer_filled_since_merges_into_its_pages()
    {
        var name = $"empty-{Guid.NewGuid():N}";
        var partition = new PagedPartition(Table, name);
        var ours = Rows(Enumerable.Range(0, 100).Select(i => $"a{i:D3}"), "-ours");
        var (read, listing) = await partition.ReadListedAsync(ours.Keys.ToList(), CancellationToken.None);
        Assert.Empty(read);

        var theirs = Rows(Enumerable.Range(0, 100).Select(i => $"a{i:D3}x"), "-theirs");
        await new PagedPartition(Table, name).WriteAsync(theirs, CancellationToken.None);
        await partition.WriteAsync(ours, listing, CancellationToken.None);

        var expected = theirs.Concat(ours).ToDictionary();
        await AssertHoldsAsync(partition, expected);
    }
}
