using System.Text;
using ProjectExports.Storage;

namespace ProjectExports.Tests.Storage;

/// <summary>
/// The streaming reader of query responses: rows come out whole and in order however the network splits the body,
/// entities split over Data, Data1 … are joined in index order, and a damaged body is an error, never a short read.
/// </summary>
public sealed class TableQueryBodyReaderTests
{
    private static string Entity(string rowKey, params (string Name, string Base64)[] data)
    {
        var properties = data.Select(d => $"\"{d.Name}@odata.type\":\"Edm.Binary\",\"{d.Name}\":\"{d.Base64}\"");
        return $"{{\"odata.etag\":\"W/\\\"datetime'2026-11-23T10%3A00%3A00.000Z'\\\"\",\"PartitionKey\":\"p\",\"RowKey\":\"{rowKey}\"," +
            $"\"Timestamp\":\"2026-11-23T10:00:00.000Z\",{string.Join(",", properties)}}}";
    }

    private static string Body(IEnumerable<string> entities) =>
        $"{{\"odata.metadata\":\"http://127.0.0.1/devstoreaccount1/$metadata#t\",\"value\":[{string.Join(",", entities)}]}}";

    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static async Task<List<(string RowKey, string Json)>> ReadAsync(string body, int bytesPerRead = int.MaxValue)
    {
        var rows = new List<(string, string)>();
        using var reader = new TableQueryBodyReader(new TrickleStream(Encoding.UTF8.GetBytes(body), bytesPerRead));
        await reader.ReadAsync((key, json) => rows.Add((key, Encoding.UTF8.GetString(json))), _ => ValueTask.CompletedTask, CancellationToken.None);
        return rows;
    }

    [Fact]
    public async Task Each_row_is_handed_over_with_its_own_ETag_unescaped()
    {
        var body = Body(new[] { "a", "b" }.Select(k => Entity(k, ("Data", B64("{}"))).Replace("10%3A00", k == "a" ? "10%3A01" : "10%3A02", StringComparison.Ordinal)));
        var etags = new List<(string, string?)>();
        using var reader = new TableQueryBodyReader(new TrickleStream(Encoding.UTF8.GetBytes(body), 5));

        await reader.ReadAsync((key, _) => etags.Add((key, reader.ETag)), _ => ValueTask.CompletedTask, CancellationToken.None);

        Assert.Equal([("a", "W/\"datetime'2026-11-23T10%3A01%3A00.000Z'\""), ("b", "W/\"datetime'2026-11-23T10%3A02%3A00.000Z'\"")], etags);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(4096)]
    [InlineData(int.MaxValue)]
    public async Task Rows_come_out_whole_and_in_order_however_the_body_is_split(int bytesPerRead)
    {
        var expected = Enumerable.Range(0, 300).Select(i => ($"state:f{i:D4}", $"{{\"feature\":\"f{i}\",\"text\":\"{new string('x', i % 50)}\"}}")).ToList();
        var body = Body(expected.Select(e => Entity(e.Item1, ("Data", B64(e.Item2)))));

        Assert.Equal(expected, await ReadAsync(body, bytesPerRead));
    }

    [Fact]
    public async Task Chunks_are_joined_in_index_order_whatever_order_they_arrive_in()
    {
        var json = "{\"description\":\"" + new string('d', 200) + "\"}";
        var bytes = Encoding.UTF8.GetBytes(json);
        string Part(int from, int to) => Convert.ToBase64String(bytes[from..to]);
        var body = Body([Entity("feature:f1", ("Data2", Part(120, bytes.Length)), ("Data", Part(0, 60)), ("Data1", Part(60, 120)))]);

        Assert.Equal([("feature:f1", json)], await ReadAsync(body, 5));
    }

    [Fact]
    public async Task An_entity_larger_than_the_read_buffer_is_read_whole()
    {
        var json = "{\"description\":\"" + new string('y', 300_000) + "\"}";
        var body = Body([Entity("a", ("Data", B64("{}"))), Entity("feature:big", ("Data", B64(json))), Entity("z", ("Data", B64("{}")))]);

        var rows = await ReadAsync(body, 10_000);

        Assert.Equal(["a", "feature:big", "z"], rows.Select(r => r.RowKey));
        Assert.Equal(json, rows[1].Json);
    }

    [Fact]
    public async Task Escaped_base64_is_unescaped_before_decoding()
    {
        byte[] raw = [0xFB, 0xFF, 0xBF, 0x7B, 0x7D]; // base64 "+/+/e30=" holds both characters JSON writers may escape
        var base64 = Convert.ToBase64String(raw);
        Assert.Contains('+', base64);
        Assert.Contains('/', base64);
        var escaped = base64.Replace("/", "\\/").Replace("+", "\\u002B");

        var rows = new List<byte[]>();
        using var reader = new TableQueryBodyReader(new MemoryStream(Encoding.UTF8.GetBytes(Body([Entity("r", ("Data", escaped))]))));
        await reader.ReadAsync((_, json) => rows.Add(json.ToArray()), _ => ValueTask.CompletedTask, CancellationToken.None);

        Assert.Equal(raw, Assert.Single(rows));
    }

    [Fact]
    public async Task Properties_that_only_look_like_chunks_are_ignored()
    {
        var body = Body([Entity("r", ("Data", B64("{\"a\":1}")), ("Data01", B64("no")), ("Data15", B64("no")), ("Database", B64("no")))]);

        Assert.Equal([("r", "{\"a\":1}")], await ReadAsync(body));
    }

    [Fact]
    public async Task An_empty_page_has_no_rows()
    {
        Assert.Empty(await ReadAsync("{\"odata.metadata\":\"m\",\"value\":[]}", 3));
    }

    [Fact]
    public async Task A_body_cut_short_is_an_error_not_a_short_read()
    {
        var body = Body([Entity("a", ("Data", B64("{}"))), Entity("b", ("Data", B64("{}")))]);

        await Assert.ThrowsAsync<InvalidDataException>(() => ReadAsync(body[..^20], 16));
        await Assert.ThrowsAsync<InvalidDataException>(() => ReadAsync(body[..^2], 16));
    }

    [Fact]
    public async Task A_row_without_data_names_its_row_key()
    {
        var body = Body(["{\"PartitionKey\":\"p\",\"RowKey\":\"feature:f9\",\"Other\":\"x\"}"]);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => ReadAsync(body));
        Assert.Contains("feature:f9", error.Message);
    }

    [Fact]
    public async Task Data_that_is_not_base64_is_an_error()
    {
        await Assert.ThrowsAsync<InvalidDataException>(() => ReadAsync(Body([Entity("r", ("Data", "not*base64"))])));
    }

    [Fact]
    public async Task After_each_read_the_callback_sees_the_rows_so_far()
    {
        var body = Body(Enumerable.Range(0, 50).Select(i => Entity($"r{i:D2}", ("Data", B64("{}")))));
        var rows = 0;
        var seenAtCallbacks = new List<int>();
        using var reader = new TableQueryBodyReader(new TrickleStream(Encoding.UTF8.GetBytes(body), 512));
        await reader.ReadAsync((_, _) => rows++, _ =>
        {
            seenAtCallbacks.Add(rows);
            return ValueTask.CompletedTask;
        }, CancellationToken.None);

        Assert.Equal(50, rows);
        Assert.True(seenAtCallbacks.Count > 10, "the consumer is called as data arrives, not once at the end");
        Assert.Equal(seenAtCallbacks.Order(), seenAtCallbacks);
    }

    /// <summary>Hands out at most a few bytes per read, as a slow network would.</summary>
    private sealed class TrickleStream(byte[] data, int bytesPerRead) : MemoryStream(data, writable: false)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, bytesPerRead));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, bytesPerRead)], cancellationToken);
    }
}
