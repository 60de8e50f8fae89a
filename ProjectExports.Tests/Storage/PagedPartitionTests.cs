using System.Text;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using ProjectExports.Projects;
using ProjectExports.Storage;
using ProjectExports.Tests.Infrastructure;

namespace ProjectExports.Tests.Storage;

/// <summary>Pages on real Azurite: concurrent writers, splits cut short, and the layout version every project row records.</summary>
public sealed class PagedPartitionTests(LocalHostFixture host) : IClassFixture<LocalHostFixture>
{
    private TableClient Table => host.Storage.Tables.GetTableClient(StorageNames.ProjectConfigurationTable);

    private static byte[] Json(string key, int bytes) => Encoding.UTF8.GetBytes($"{{\"key\":\"{key}\",\"pad\":\"{new string('p', bytes)}\"}}");

    private async Task<List<string>> StreamedKeysAsync(string partition)
    {
        var keys = new List<string>();
        await TableRowReader.ReadAsync(Table, ProjectStore.PartitionFilter(partition), static (key, _) => key,
            (batch, _) => { keys.AddRange(batch); return ValueTask.CompletedTask; }, CancellationToken.None);
        return keys;
    }

    [Fact]
    public async Task Writers_racing_on_the_same_pages_all_land_and_the_partition_reads_each_row_once_in_order()
    {
        var partition = new PagedPartition(Table, $"race-{Guid.NewGuid():N}");
        var writers = Enumerable.Range(0, 6).Select(w =>
            Enumerable.Range(0, 120).Select(i => $"k{i:D3}-{w}").ToDictionary(k => k, k => (byte[]?)Json(k, 900)));

        await Task.WhenAll(writers.Select(changes => partition.WriteAsync(changes, CancellationToken.None)));

        var expected = writers.SelectMany(w => w.Keys).Order(StringComparer.Ordinal).ToList();
        var stored = await partition.ReadAsync(null, CancellationToken.None);
        Assert.Equal(expected, stored.Keys.Order(StringComparer.Ordinal));
        Assert.All(stored, row => Assert.Equal(Json(row.Key, 900), row.Value));
        var pages = new List<TableEntity>();
        await foreach (var page in Table.QueryAsync<TableEntity>(ProjectStore.PartitionFilter(partition.PartitionKey))) pages.Add(page);
        Assert.InRange(pages.Count, 10, expected.Count / 10);
        Assert.Equal(expected, await StreamedKeysAsync(partition.PartitionKey));
    }

    [Fact]
    public async Task Writers_racing_with_writes_of_several_rounds_all_land()
    {
        // Each writer's rows interleave with the others' and take two rounds or more: a round that goes on from the
        // pages its last round wrote finds them rewritten by the others, and must read again rather than write over them.
        var partition = new PagedPartition(Table, $"rounds-{Guid.NewGuid():N}");
        var writers = Enumerable.Range(0, 3).Select(w =>
            Enumerable.Range(0, 2_600).Select(i => $"k{i:D4}-{w}").ToDictionary(k => k, k => (byte[]?)Json(k, 900))).ToList();
        Assert.All(writers, w => Assert.True(w.Sum(r => r.Value!.Length) > PagedPartition.RoundBytes));

        var receipts = await Task.WhenAll(writers.Select(changes => partition.WriteAsync(changes, CancellationToken.None)));

        var expected = writers.SelectMany(w => w.Keys).Order(StringComparer.Ordinal).ToList();
        var stored = await partition.ReadAsync(null, CancellationToken.None);
        Assert.Equal(expected, stored.Keys.Order(StringComparer.Ordinal));
        Assert.All(stored, row => Assert.Equal(Json(row.Key, 900), row.Value));
        Assert.Equal(expected, await StreamedKeysAsync(partition.PartitionKey));
        // What each receipt still confirms is really there.
        foreach (var receipt in receipts)
        {
            Assert.All(await partition.ConfirmAsync(receipt, CancellationToken.None), key => Assert.Equal(Json(key, 900), stored[key]));
        }
    }

    [Fact]
    public async Task Writers_updating_rows_spread_over_many_pages_at_once_all_land()
    {
        var partition = new PagedPartition(Table, $"spread-{Guid.NewGuid():N}");
        await partition.WriteAsync(Enumerable.Range(0, 600).ToDictionary(i => $"k{i:D3}", i => (byte[]?)Json($"k{i:D3}", 900)), CancellationToken.None);
        // Each writer's rows fall in every page, more than are read one by one: its pages come from one streamed range read.
        var writers = Enumerable.Range(0, 4).Select(w =>
            Enumerable.Range(0, 600).Where(i => i % 4 == w).ToDictionary(i => $"k{i:D3}", i => (byte[]?)Json($"k{i:D3}-by-{w}", 900))).ToList();

        await Task.WhenAll(writers.Select(changes => partition.WriteAsync(changes, CancellationToken.None)));

        var stored = await partition.ReadAsync(null, CancellationToken.None);
        Assert.Equal(600, stored.Count);
        Assert.All(writers.SelectMany(w => w), row => Assert.Equal(row.Value, stored[row.Key]));
    }

    [Fact]
    public async Task Changing_one_row_rewrites_only_its_page_and_writing_rows_as_stored_writes_nothing()
    {
        var partition = new PagedPartition(Table, $"one-{Guid.NewGuid():N}");
        var rows = Enumerable.Range(0, 300).ToDictionary(i => $"k{i:D3}", i => (byte[]?)Json($"k{i:D3}", 900));
        await partition.WriteAsync(rows, CancellationToken.None);
        var before = await PageETagsAsync(partition.PartitionKey);

        Assert.Equal(0, (await partition.WriteAsync(rows, CancellationToken.None)).Transactions);
        Assert.Equal(1, (await partition.WriteAsync(new Dictionary<string, byte[]?> { ["k150"] = Json("k150-changed", 900) }, CancellationToken.None)).Transactions);

        var after = await PageETagsAsync(partition.PartitionKey);
        Assert.True(before.Count > 3, $"{before.Count} pages");
        Assert.Equal(before.Keys, after.Keys);
        var rewritten = Assert.Single(before.Keys, key => before[key] != after[key]);
        Assert.Equal(RowPagePlanner.Covering([.. before.Keys], "k150"), rewritten);
        Assert.Equal(Json("k150-changed", 900), (await partition.ReadAsync(["k150"], CancellationToken.None))["k150"]);
    }

    [Fact]
    public async Task A_write_larger_than_a_transaction_into_an_existing_page_lands_in_rounds_each_page_whole()
    {
        var partition = new PagedPartition(Table, $"big-{Guid.NewGuid():N}");
        await partition.WriteAsync(new Dictionary<string, byte[]?> { ["a"] = Json("a", 10) }, CancellationToken.None);
        // About 4.8 MB of rows that all fall in the head page: one transaction cannot hold its split.
        var rows = Enumerable.Range(0, 4_800).ToDictionary(i => $"b{i:D4}", i => (byte[]?)Json($"b{i:D4}", 980));

        var receipt = await partition.WriteAsync(rows, CancellationToken.None);

        // Three rounds, one transaction each: a full round landing in the last page the one before wrote still fits whole.
        Assert.Equal(3, receipt.Transactions);
        // Later rounds rewrote pages of earlier ones; every row still confirms against the page that now holds it.
        Assert.Equal(rows.Keys.Order(StringComparer.Ordinal), (await partition.ConfirmAsync(receipt, CancellationToken.None)).Order(StringComparer.Ordinal));
        var stored = await partition.ReadAsync(null, CancellationToken.None);
        Assert.Equal(rows.Keys.Append("a").Order(StringComparer.Ordinal), stored.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(stored.Keys.Order(StringComparer.Ordinal), await StreamedKeysAsync(partition.PartitionKey));
    }

    [Fact]
    public async Task A_round_landing_in_a_page_too_large_to_rewrite_with_it_in_one_transaction_is_written_in_halves()
    {
        var partition = new PagedPartition(Table, $"halves-{Guid.NewGuid():N}");
        // A page holding one row of 700 KB, then a full round of rows that all fall in its range: the page and the
        // round's pieces together are more than a transaction's payload, so the round must be halved, not refused.
        await partition.WriteAsync(new Dictionary<string, byte[]?> { ["a"] = Json("a", 700_000) }, CancellationToken.None);
        var rows = Enumerable.Range(0, 2_000).ToDictionary(i => $"b{i:D4}", i => (byte[]?)Json($"b{i:D4}", 1_000));
        Assert.True(rows.Sum(r => RowPageCodec.EntryBytes(r.Key, r.Value!.Length)) < PagedPartition.RoundBytes, "one round");

        var receipt = await partition.WriteAsync(rows, CancellationToken.None);

        Assert.InRange(receipt.Transactions, 2, 4);
        Assert.Equal(rows.Keys.Order(StringComparer.Ordinal), (await partition.ConfirmAsync(receipt, CancellationToken.None)).Order(StringComparer.Ordinal));
        var stored = await partition.ReadAsync(null, CancellationToken.None);
        Assert.Equal(rows.Keys.Append("a").Order(StringComparer.Ordinal), stored.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(Json("a", 700_000), stored["a"]);
    }

    [Fact]
    public async Task A_receipt_confirms_the_rows_whose_page_is_as_written_and_not_those_another_writer_touched_since()
    {
        var partition = new PagedPartition(Table, $"receipt-{Guid.NewGuid():N}");
        var rows = Enumerable.Range(0, 300).ToDictionary(i => $"k{i:D3}", i => (byte[]?)Json($"k{i:D3}", 900));
        var receipt = await partition.WriteAsync(rows, CancellationToken.None);
        Assert.Equal(rows.Keys.Order(StringComparer.Ordinal), (await partition.ConfirmAsync(receipt, CancellationToken.None)).Order(StringComparer.Ordinal));
        var before = await PageETagsAsync(partition.PartitionKey);

        // Another writer changes k150 (its page is rewritten) and adds rows that split the page of k290.
        await partition.WriteAsync(new Dictionary<string, byte[]?> { ["k150"] = Json("k150-other", 900) }, CancellationToken.None);
        await partition.WriteAsync(Enumerable.Range(0, 80).ToDictionary(i => $"k290-{i:D2}", i => (byte[]?)Json("x", 900)), CancellationToken.None);

        var confirmed = await partition.ConfirmAsync(receipt, CancellationToken.None);
        Assert.DoesNotContain("k150", confirmed);
        Assert.DoesNotContain("k290", confirmed);
        // Confirmed: exactly the rows whose page, by the listings before and after, is the same page at the same ETag.
        var after = await PageETagsAsync(partition.PartitionKey);
        var untouched = rows.Keys.Where(k => RowPagePlanner.Covering([.. after.Keys], k) is { } page
            && page == RowPagePlanner.Covering([.. before.Keys], k) && before[page] == after[page]);
        Assert.Equal(untouched.Order(StringComparer.Ordinal), confirmed.Order(StringComparer.Ordinal));
        Assert.InRange(confirmed.Count, 100, 299);
        var unchanged = await partition.ReadAsync([.. confirmed], CancellationToken.None);
        Assert.All(confirmed, key => Assert.Equal(rows[key], unchanged[key]));
    }

    [Fact]
    public async Task Rows_a_write_found_as_stored_are_confirmed_by_the_pages_it_read()
    {
        var partition = new PagedPartition(Table, $"asread-{Guid.NewGuid():N}");
        var rows = Enumerable.Range(0, 200).ToDictionary(i => $"k{i:D3}", i => (byte[]?)Json($"k{i:D3}", 900));
        await partition.WriteAsync(rows, CancellationToken.None);

        var again = await partition.WriteAsync(rows.Append(new("gone", null)).ToDictionary(), CancellationToken.None);

        Assert.Equal(0, again.Transactions);
        Assert.Equal(rows.Keys.Append("gone").Order(StringComparer.Ordinal), (await partition.ConfirmAsync(again, CancellationToken.None)).Order(StringComparer.Ordinal));
    }

    private async Task<SortedDictionary<string, string>> PageETagsAsync(string partition)
    {
        var pages = new SortedDictionary<string, string>(StringComparer.Ordinal);
        await foreach (var page in Table.QueryAsync<TableEntity>(ProjectStore.PartitionFilter(partition), select: ["RowKey"])) pages[page.RowKey] = page.ETag.ToString();
        return pages;
    }

    [Fact]
    public async Task Rows_a_page_holds_outside_its_range_are_read_once_and_tidied_by_the_next_write()
    {
        var key = $"split-{Guid.NewGuid():N}";
        var partition = new PagedPartition(Table, key);
        var rows = new SortedDictionary<string, byte[]>(StringComparer.Ordinal) { ["a"] = Json("a", 10), ["c"] = Json("c", 10), ["d"] = Json("d", 10) };
        // The head page still holds "c" and "d", which belong to the page "!c".
        await Table.AddEntityAsync(JsonEntityCodec.ToEntity(key, "!", RowPageCodec.Encode(rows), "head"));
        await Table.AddEntityAsync(JsonEntityCodec.ToEntity(key, "!c", RowPageCodec.Encode(rows.Where(r => r.Key != "a").ToList()), "split"));

        Assert.Equal(["a", "c", "d"], await StreamedKeysAsync(key));
        Assert.Equal(["a", "c", "d"], (await partition.ReadAsync(null, CancellationToken.None)).Keys.Order(StringComparer.Ordinal));

        await partition.WriteAsync(new Dictionary<string, byte[]?> { ["b"] = Json("b", 10) }, CancellationToken.None);

        var head = await Table.GetEntityAsync<TableEntity>(key, "!");
        Assert.Equal(["a", "b"], RowPageCodec.DecodeAll("!", JsonEntityCodec.JsonOf(head.Value)).Keys);
        Assert.Equal(["a", "b", "c", "d"], await StreamedKeysAsync(key));
    }

    [Fact]
    public async Task Every_project_row_records_the_layout_and_a_row_of_another_layout_is_refused_with_what_to_do()
    {
        var store = host.Services.GetRequiredService<ProjectStore>();
        var created = $"layout-{Guid.NewGuid():N}"[..30];
        var saved = $"layout-{Guid.NewGuid():N}"[..30];
        await store.CreateAsync(new Project { Id = created, Name = "created" }, CancellationToken.None);
        await store.SaveAsync(new ProjectSnapshot { Project = new Project { Id = saved, Name = "saved" } }, CancellationToken.None);

        foreach (var id in new[] { created, saved })
            Assert.Equal(ProjectStore.LayoutVersion, (await Table.GetEntityAsync<TableEntity>(id, "project")).Value.GetInt32("LayoutVersion"));

        var row = (await Table.GetEntityAsync<TableEntity>(created, "project")).Value;
        row["LayoutVersion"] = 1;
        await Table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace);
        var error = await Assert.ThrowsAsync<StoredDataException>(() => store.GetProjectAsync(created, CancellationToken.None));
        Assert.Contains("layout 1", error.Message);
        Assert.Contains("Migrate", error.Message);
    }
}
