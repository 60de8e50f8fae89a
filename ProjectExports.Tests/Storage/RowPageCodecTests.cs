using System.Text;
using ProjectExports.Storage;

namespace ProjectExports.Tests.Storage;

public sealed class RowPageCodecTests
{
    [Fact]
    public void A_page_gives_back_each_rows_JSON_byte_for_byte_in_key_order()
    {
        var rows = new SortedDictionary<string, byte[]>(StringComparer.Ordinal)
        {
            ["b"] = Encoding.UTF8.GetBytes("{\"x\":[1,{\"y\":\"}\\\"{\"}],\"z\":null}"),
            ["a"] = Encoding.UTF8.GetBytes("\"caf\u00e9 \\u0000\""),
            ["c"] = Encoding.UTF8.GetBytes("12.50"),
        };

        var page = RowPageCodec.Encode(rows);

        Assert.Equal(rows.Select(r => (r.Key, Encoding.UTF8.GetString(r.Value))),
            RowPageCodec.DecodeAll("!a", page).Select(r => (r.Key, Encoding.UTF8.GetString(r.Value))));
        Assert.Equal(page.Length, 2 + rows.Sum(r => RowPageCodec.EntryBytes(r.Key, r.Value.Length)) - 1);
    }

    [Fact]
    public void A_key_JSON_would_have_to_escape_is_refused_rather_than_written_broken()
    {
        var rows = new[] { new KeyValuePair<string, byte[]>("a\"b", "1"u8.ToArray()) };

        Assert.Throws<ArgumentException>(() => RowPageCodec.Encode(rows));
    }

    [Fact]
    public void A_page_that_is_not_JSON_is_a_stored_data_error_naming_it()
    {
        var error = Assert.Throws<StoredDataException>(() => RowPageCodec.DecodeAll("!state:f0", "{\"a\": not json"u8));

        Assert.Contains("!state:f0", error.Message);
    }

    [Fact]
    public void A_row_too_large_for_a_page_of_its_own_is_refused_with_the_limit()
    {
        var error = Assert.Throws<StorageLimitException>(() => RowPageCodec.RequireFits("feature:f1", JsonEntityCodec.MaxBytes, "feature 'big'"));

        Assert.Contains("feature 'big'", error.Message);
        RowPageCodec.RequireFits("feature:f1", JsonEntityCodec.MaxBytes - 100, "feature 'fits'");
    }
}
