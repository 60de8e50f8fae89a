using System.Text;
using Microsoft.Extensions.DependencyInjection;
using ProjectExports.Projects;
using ProjectExports.Tests.Infrastructure;

namespace ProjectExports.Tests.Projects;

/// <summary>
/// Reads of current rows started partition by partition (<see cref="ProjectRowReads"/>, as an import's plan loads), on
/// real Azurite: what they return, a partition started twice (a plan stored by an earlier version), and the listings
/// a write starts from.
/// </summary>
public sealed class ProjectRowReadsTests(LocalHostFixture host) : IClassFixture<LocalHostFixture>
{
    private static byte[] Json(string key) => Encoding.UTF8.GetBytes($"{{\"key\":\"{key}\",\"pad\":\"{new string('p', 700)}\"}}");

    [Fact]
    public async Task Reads_started_one_partition_at_a_time_return_the_rows_there_and_a_partition_started_twice_both_runs_keys()
    {
        var store = host.Services.GetRequiredService<ProjectStore>();
        var projectId = $"reads-{Guid.NewGuid():N}"[..30];
        var environment = $"{projectId}:e1";
        var stored = Enumerable.Range(0, 200)
            .Select(i => new ProjectRow(i % 2 == 0 ? projectId : environment, $"row:{i:D3}", Json($"row:{i:D3}")))
            .ToList();
        await store.WriteRowsAsync(projectId, stored, static (_, _, _) => ValueTask.CompletedTask, CancellationToken.None);

        ProjectRowsRead read;
        await using (var reads = store.BeginRowReads())
        {
            reads.Start(projectId, ["row:000", "row:002", "row:missing"]);
            reads.Start(environment, Enumerable.Range(0, 50).Select(i => $"row:{2 * i + 1:D3}"));
            reads.Start($"{projectId}:e2", ["row:001"]); // a partition with no rows at all
            reads.Start(projectId, ["row:198"]); // the same partition again, for keys of a later run
            read = await reads.CompleteAsync(CancellationToken.None);
        }

        var expected = new[] { "row:000", "row:002", "row:198" }.Select(k => new ProjectRowKey(projectId, k))
            .Concat(Enumerable.Range(0, 50).Select(i => new ProjectRowKey(environment, $"row:{2 * i + 1:D3}")))
            .ToList();
        static string Name(ProjectRowKey key) => $"{key.PartitionKey}/{key.RowKey}";
        Assert.Equal(expected.Select(Name).Order(StringComparer.Ordinal), read.Rows.Keys.Select(Name).Order(StringComparer.Ordinal));
        Assert.All(expected, key => Assert.Equal(Json(key.RowKey), read.Rows[key]));
        Assert.Equal([projectId, environment, $"{projectId}:e2"], read.Listings.Keys.Order(StringComparer.Ordinal));
    }
}
