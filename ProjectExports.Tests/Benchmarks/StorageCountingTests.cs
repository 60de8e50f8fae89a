using System.Text;
using ProjectExports.Benchmarks.Counting;

namespace ProjectExports.Tests.Benchmarks;

/// <summary>
/// The benchmark's storage counts read bodies as they stream by: rows of a query page and operations of a transaction
/// must come out the same however the bytes are split.
/// </summary>
public sealed class StorageCountingTests
{
    // Strings hold every character that could be mistaken for structure: braces, brackets, quotes, backslashes.
    private const string Page =
        "{\"odata.metadata\":\"http://127.0.0.1/devstoreaccount1/$metadata#projectconfig\",\"value\":[" +
        "{\"odata.etag\":\"W/\\\"datetime'2026-01-01'\\\"\",\"PartitionKey\":\"p\",\"RowKey\":\"feature:{1}\",\"Data@odata.type\":\"Edm.Binary\",\"Data\":\"e30=\"}," +
        "{\"PartitionKey\":\"p\",\"RowKey\":\"tag:[\\\\\",\"Name\":\"{\\\"a\\\":[1,{}]}\",\"Note\":\"é ✓ \\u007b\"}," +
        "{\"PartitionKey\":\"p\",\"RowKey\":\"x\"}" +
        "]}";

    [Fact]
    public void A_query_page_counts_the_objects_of_its_value_array_however_it_is_split()
    {
        var bytes = Encoding.UTF8.GetBytes(Page);
        for (var split = 0; split <= bytes.Length; split++)
        {
            var counter = new QueryPageRowCounter();
            counter.Add(bytes.AsSpan(0, split));
            counter.Add(bytes.AsSpan(split));

            Assert.Equal(3, counter.Rows);
        }
        var byteByByte = new QueryPageRowCounter();
        foreach (var b in bytes) byteByByte.Add([b]);
        Assert.Equal(3, byteByByte.Rows);
    }

    [Theory]
    [InlineData("{\"odata.metadata\":\"…\",\"value\":[]}", 0)]
    [InlineData("{\"value\":[{}]}", 1)]
    [InlineData("{\"value\":[{\"RowKey\":\"]}\"},{\"RowKey\":\"{\"}]}", 2)]
    public void A_query_page_without_rows_or_with_odd_keys_counts_what_it_holds(string page, long rows)
    {
        var counter = new QueryPageRowCounter();
        counter.Add(Encoding.UTF8.GetBytes(page));

        Assert.Equal(rows, counter.Rows);
    }

    private static string Operation(string method, string table, string keys, string? body) =>
        "--changeset_7\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n" +
        $"{method} http://127.0.0.1:10002/devstoreaccount1/{table}{keys} HTTP/1.1\r\n" +
        "Accept: application/json;odata=minimalmetadata\r\nContent-Type: application/json\r\nDataServiceVersion: 3.0\r\n\r\n" +
        (body is null ? "" : body + "\r\n");

    /// <summary>A transaction as the Tables SDK sends it: a batch holding one changeset, one part per operation.</summary>
    private static string Batch(params string[] operations) =>
        "--batch_3\r\nContent-Type: multipart/mixed; boundary=changeset_7\r\n\r\n" + string.Concat(operations) + "--changeset_7--\r\n\r\n--batch_3--\r\n";

    [Fact]
    public void A_transaction_counts_its_operations_on_the_table_however_it_is_split()
    {
        // An entity line far longer than any request line, holding text that looks like a request line.
        var longEntity = "{\"PartitionKey\":\"p\",\"Data\":\"" + new string('A', 40_000) + " PUT http://x/projectconfig(PartitionKey='p') HTTP/1.1\"}";
        var body = Encoding.UTF8.GetBytes(Batch(
            Operation("PUT", "projectconfig", "(PartitionKey='p%3Ae',RowKey='state%3Af1')", longEntity),
            Operation("POST", "projectconfig", "", "{\"PartitionKey\":\"p\",\"RowKey\":\"r\"}"),
            Operation("DELETE", "projectconfig", "(PartitionKey='p',RowKey='r2')", null),
            Operation("MERGE", "projectconfig", "(PartitionKey='p',RowKey='r3')", "{}"),
            Operation("PUT", "projectconfigother", "(PartitionKey='p',RowKey='r')", "{}"),
            Operation("PUT", "exports", "(PartitionKey='p',RowKey='r')", "{}")));

        foreach (var split in Enumerable.Range(0, body.Length + 1).Where(i => i % 97 == 0 || i == body.Length))
        {
            var counter = new BatchOperationCounter("projectconfig");
            counter.Add(body.AsSpan(0, split));
            counter.Add(body.AsSpan(split));

            Assert.Equal(4, counter.Operations);
        }
    }

    [Fact]
    public void A_transaction_read_in_small_pieces_counts_the_same()
    {
        var body = Encoding.UTF8.GetBytes(Batch(Enumerable.Range(0, 100)
            .Select(i => Operation("PUT", "projectconfig", $"(PartitionKey='p',RowKey='feature%3A{i}')", "{\"Data\":\"e30=\"}")).ToArray()));
        var counter = new BatchOperationCounter("projectconfig");

        foreach (var piece in body.Chunk(7)) counter.Add(piece);

        Assert.Equal(100, counter.Operations);
    }
}
