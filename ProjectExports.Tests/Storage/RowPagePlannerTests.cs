using System.Text;
using Azure;
using ProjectExports.Storage;

namespace ProjectExports.Tests.Storage;

/// <summary>How a partition's pages change when rows change: only pages holding changed rows, split in order, tidied.</summary>
public sealed class RowPagePlannerTests
{
    private static byte[] Json(string text) => Encoding.UTF8.GetBytes($"{{\"v\":\"{text}\"}}");

    private static KeyValuePair<string, byte[]?> Upsert(string key, int bytes = 100) => new(key, Json(new string('x', bytes)));

    private static RowPage Page(string key, string etag, params string[] rows) =>
        new(key, new ETag(etag), new SortedDictionary<string, byte[]>(rows.ToDictionary(r => r, r => Json(r)), StringComparer.Ordinal));

    private static Dictionary<string, RowPage> Read(params RowPage[] pages) => pages.ToDictionary(p => p.Key);

    private static List<string> RowsOf(RowPageWrite write)
    {
        var keys = new List<string>();
        RowPageCodec.Decode(write.Key, write.Json, (key, _) => keys.Add(key));
        return keys;
    }

    [Fact]
    public void Rows_of_an_empty_partition_fill_a_head_page_then_pages_keyed_by_their_first_row_each_within_the_target()
    {
        var rows = Enumerable.Range(0, 100).Select(i => Upsert($"k{i:D3}", 500)).Reverse().ToList();

        var writes = RowPagePlanner.Plan([], Read(), rows, targetBytes: 4096);

        Assert.All(writes, w => Assert.Equal(RowPageWriteKind.Add, w.Kind));
        Assert.All(writes, w => Assert.True(w.Json!.Length <= 4096, $"{w.Key} is {w.Json!.Length} bytes"));
        Assert.Equal(RowPageCodec.HeadKey, writes[^1].Key);
        Assert.All(writes.SkipLast(1), w => Assert.Equal("!" + RowsOf(w)[0], w.Key));
        var inOrder = writes.OrderBy(w => w.Key, StringComparer.Ordinal).SelectMany(RowsOf).ToList();
        Assert.Equal(rows.Select(r => r.Key).Order(StringComparer.Ordinal), inOrder);
    }

    [Fact]
    public void Changing_one_row_rewrites_only_the_page_holding_it_and_only_if_its_ETag_still_holds()
    {
        var pages = Read(Page("!", "e1", "a", "b"), Page("!c", "e2", "c", "d"), Page("!e", "e3", "e", "f"));

        var writes = RowPagePlanner.Plan(["!", "!c", "!e"], pages, [Upsert("d")]);

        var write = Assert.Single(writes);
        Assert.Equal((RowPageWriteKind.Replace, "!c", new ETag("e2")), (write.Kind, write.Key, write.ETag));
        Assert.Equal(["c", "d"], RowsOf(write));
    }

    [Fact]
    public void Writing_rows_as_they_are_stored_writes_no_page()
    {
        var pages = Read(Page("!", "e1", "a", "b"));

        Assert.Empty(RowPagePlanner.Plan(["!"], pages, [new("a", Json("a")), new("zz", null)]));
    }

    [Fact]
    public void A_page_left_without_rows_is_deleted_with_the_ETag_it_was_read_with()
    {
        var pages = Read(Page("!", "e1", "a"), Page("!c", "e2", "c"));

        var write = Assert.Single(RowPagePlanner.Plan(["!", "!c"], pages, [new("c", null)]));

        Assert.Equal((RowPageWriteKind.Delete, "!c", new ETag("e2")), (write.Kind, write.Key, write.ETag));
    }

    [Fact]
    public void The_head_page_left_without_rows_stays_empty_while_other_pages_exist_and_goes_when_it_is_the_last()
    {
        var pages = Read(Page("!", "e1", "a"), Page("!c", "e2", "c"));

        var kept = Assert.Single(RowPagePlanner.Plan(["!", "!c"], pages, [new("a", null)]));
        var deleted = Assert.Single(RowPagePlanner.Plan(["!"], Read(Page("!", "e1", "a")), [new("a", null)]));

        Assert.Equal((RowPageWriteKind.Replace, "!", new ETag("e1")), (kept.Kind, kept.Key, kept.ETag));
        Assert.Empty(RowsOf(kept));
        Assert.Equal((RowPageWriteKind.Delete, "!", new ETag("e1")), (deleted.Kind, deleted.Key, deleted.ETag));
    }

    [Fact]
    public void A_row_below_every_page_starts_a_new_head_page()
    {
        var pages = Read(Page("!m", "e1", "m"));

        var write = Assert.Single(RowPagePlanner.Plan(["!m"], pages, [Upsert("a")]));

        Assert.Equal((RowPageWriteKind.Add, "!"), (write.Kind, write.Key));
    }

    [Fact]
    public void A_page_that_outgrows_the_target_splits_new_pages_first_and_its_own_rewrite_last_in_one_group()
    {
        var pages = Read(Page("!", "e1", "a"), Page("!m", "e2", "m"));

        var writes = RowPagePlanner.Plan(["!", "!m"], pages, Enumerable.Range(0, 20).Select(i => Upsert($"b{i:D2}", 400)), targetBytes: 2048);

        Assert.True(writes.Count > 2);
        Assert.Single(writes.Select(w => w.Group).Distinct());
        Assert.All(writes.SkipLast(1), w => Assert.Equal(RowPageWriteKind.Add, w.Kind));
        Assert.Equal((RowPageWriteKind.Replace, "!"), (writes[^1].Kind, writes[^1].Key));
        Assert.All(writes, w => Assert.All(RowsOf(w), key => Assert.True(string.CompareOrdinal(key, "m") < 0)));
    }

    [Fact]
    public void Rows_a_page_holds_outside_its_range_are_dropped_when_it_is_rewritten()
    {
        // "!" still holds "d", which a split cut short already moved to "!c".
        var pages = Read(Page("!", "e1", "a", "d"), Page("!c", "e2", "c", "d"));

        var write = Assert.Single(RowPagePlanner.Plan(["!", "!c"], pages, [Upsert("b")]));

        Assert.Equal(["a", "b"], RowsOf(write));
    }
}
