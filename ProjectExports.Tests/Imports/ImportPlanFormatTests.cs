using System.IO.Compression;
using System.Text;
using ProjectExports.Imports;
using ProjectExports.Projects;
using ProjectExports.Storage;

namespace ProjectExports.Tests.Imports;

/// <summary>How a plan is stored (<see cref="ImportPlanFormat"/>): what goes in comes back byte for byte, and a broken plan is a clear error.</summary>
public sealed class ImportPlanFormatTests
{
    private static ImportPlan Plan() => new()
    {
        Id = "plan-1",
        StateHash = "hash",
        Summary = new ImportSummary { FeaturesCreated = 2 },
        Warnings = [new ImportIssue("name_normalized", "a warning with \"quotes\" and é", "/features/0/name")],
        RequiresPlannedState = true,
    };

    /// <summary>The plan stored with <paramref name="firstRows"/> given last, after the <paramref name="written"/> rows, as an import's planning does.</summary>
    private static BinaryData Store(IEnumerable<ProjectRow> firstRows, params IEnumerable<ProjectRow>[] written)
    {
        using var writer = new ImportPlanWriter();
        foreach (var rows in written) writer.Write(rows);
        return writer.Complete(Plan(), firstRows);
    }

    private static async Task<ImportPlan> RoundTripAsync(BinaryData stored) =>
        await ImportPlanFormat.ReadAsync(new GZipStream(stored.ToStream(), CompressionMode.Decompress), "test", CancellationToken.None);

    [Fact]
    public async Task Rows_come_back_in_order_with_their_partitions_json_and_deletes_and_the_header_with_them_the_first_rows_before_those_written_before_them()
    {
        var large = Encoding.UTF8.GetBytes($"{{\"text\":\"{new string('x', 200_000)}\"}}"); // larger than the reader's buffer
        var rows = new List<ProjectRow>
        {
            new("p", "feature:a", "{\"name\":\"caf\u00e9\"}"u8.ToArray()),
            new("p", "feature:b", null),
            new("p:env", "state:a", large),
            new("p:env", "state:b", []),
            new("p", "feature:c", "{}"u8.ToArray()), // a partition seen before, again
        };

        var read = await RoundTripAsync(Store(rows.Take(2), rows.Skip(2).Take(2), rows.Skip(4)));

        var back = read.Rows.ToList();
        Assert.Equal(rows.Select(r => (r.PartitionKey, r.RowKey)), back.Select(r => (r.PartitionKey, r.RowKey)));
        for (var i = 0; i < rows.Count; i++)
        {
            Assert.Equal(rows[i].Json, back[i].Json);
        }
        Assert.Equal(("plan-1", "hash", true, 2), (read.Id, read.StateHash, read.RequiresPlannedState, read.Summary.FeaturesCreated));
        Assert.Equal("a warning with \"quotes\" and é", Assert.Single(read.Warnings).Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Rows_come_a_partitions_run_at_a_time_whole_and_in_order_with_or_without_their_json(bool keysOnly)
    {
        var large = Encoding.UTF8.GetBytes($"{{\"text\":\"{new string('x', 200_000)}\"}}"); // skipped past the reader's buffer
        var rows = new List<ProjectRow>
        {
            new("p", "feature:a", "{}"u8.ToArray()),
            new("p", "feature:b", null),
            new("p:env", "state:a", large),
            new("p:env:identities", "6162-a", "{\"a\":1}"u8.ToArray()),
            new("p:env:identities", "6162-b", null),
            new("p", "feature:c", "{}"u8.ToArray()), // a partition seen before, again
        };
        await using var plan = await ImportPlanFormat.OpenAsync(new GZipStream(Store(rows.Take(2), rows.Skip(2)).ToStream(), CompressionMode.Decompress), "test", CancellationToken.None);

        var runs = new List<ImportPlanRun>();
        await foreach (var run in plan.ReadRunsAsync(keysOnly, CancellationToken.None)) runs.Add(run);

        Assert.Equal("plan-1", plan.Plan.Id);
        Assert.Equal(["p: feature:a, feature:b", "p:env: state:a", "p:env:identities: 6162-a, 6162-b", "p: feature:c"],
            runs.Select(r => $"{r.PartitionKey}: {string.Join(", ", r.Rows.Select(row => row.RowKey))}"));
        Assert.All(runs, run => Assert.All(run.Rows, row => Assert.Equal(run.PartitionKey, row.PartitionKey)));
        Assert.Equal(keysOnly ? rows.Select(_ => (byte[]?)null) : rows.Select(r => r.Json), runs.SelectMany(r => r.Rows).Select(r => r.Json));
    }

    [Fact]
    public async Task A_plan_without_rows_comes_back_empty()
    {
        Assert.Empty((await RoundTripAsync(Store([]))).Rows);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Rows_are_built_only_while_they_are_stored_and_their_limit_errors_reach_the_caller(bool written)
    {
        IEnumerable<ProjectRow> Rows()
        {
            yield return new ProjectRow("p", "feature:a", "{}"u8.ToArray());
            throw new StorageLimitException("row feature:b is too large");
        }

        var error = Assert.Throws<StorageLimitException>(() => written ? Store([], Rows()) : Store(Rows()));
        Assert.Equal("row feature:b is too large", error.Message);
    }

    public static TheoryData<string, Func<byte[], byte[]>> Damage => new()
    {
        { "cut short in a row", bytes => bytes[..^3] },
        { "cut short in the mark", bytes => bytes[..4] },
        { "another format", bytes => [.. "{\"rows\":[]}"u8] },
        { "an unknown row kind", bytes => [.. bytes[..^1], 7] },
        { "a row length past any entity", bytes => Patched(bytes, "feature:a"u8.Length, BitConverter.GetBytes(int.MaxValue)) },
    };

    [Theory]
    [MemberData(nameof(Damage))]
    public async Task A_damaged_plan_is_stored_data_that_cannot_be_read_not_a_crash(string damage, Func<byte[], byte[]> harm)
    {
        var compressed = Store([new ProjectRow("p", "feature:a", "{\"a\":1}"u8.ToArray())]);
        var plain = new MemoryStream();
        await new GZipStream(compressed.ToStream(), CompressionMode.Decompress).CopyToAsync(plain);

        var error = await Assert.ThrowsAsync<StoredDataException>(() =>
            ImportPlanFormat.ReadAsync(new MemoryStream(harm(plain.ToArray())), "test", CancellationToken.None));

        Assert.True(error.Message.StartsWith("The stored import plan test ", StringComparison.Ordinal), $"{damage}: {error.Message}");
    }

    /// <summary>The bytes with the 4 after the last occurrence of a row key of <paramref name="keyLength"/> bytes replaced.</summary>
    private static byte[] Patched(byte[] bytes, int keyLength, byte[] replacement)
    {
        var at = bytes.AsSpan().LastIndexOf("feature:a"u8) + keyLength;
        var patched = bytes.ToArray();
        replacement.CopyTo(patched, at);
        return patched;
    }
}
