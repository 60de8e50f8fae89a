using ProjectExports.Projects;

namespace ProjectExports.Tests.Projects;

/// <summary>
/// The order of the rows a set of changes writes, which an import's plan keeps (the project's own, then each
/// environment's): each partition's rows come in one run, deletes after its upserts, so the apply step can read a
/// partition's stored rows once, as soon as its run is loaded.
/// </summary>
public sealed class ProjectRowOrderTests
{
    private static EnvironmentChanges Environment(string id) => new()
    {
        EnvironmentId = id,
        Settings = new ProjectEnvironment { Id = id, Name = id },
        FeatureStates = [new FeatureState { Feature = "f1" }],
        FeatureSegments = [new FeatureSegment { Id = "so1", Feature = "f1", Segment = "s1", FeatureState = new FeatureState { Feature = "f1" } }],
        IdentityOverrides = [new IdentityOverride { Identifier = "alice", FeatureState = new FeatureState { Feature = "f1" } }],
        DeletedFeatureSegments = ["so2"],
        DeletedIdentityOverrides = [new IdentityOverrideKey("bob", "f1")],
    };

    [Fact]
    public void Each_partitions_rows_come_in_one_run_with_its_deletes_after_its_upserts()
    {
        var changes = new ProjectChanges
        {
            ProjectId = "p1",
            Features = [new Feature { Id = "f1", Name = "one" }],
            Environments = [Environment("e1"), Environment("e2")],
        };

        var rows = ProjectStore.ProjectRowsOf(changes).Concat(changes.Environments.SelectMany(e => ProjectStore.EnvironmentRowsOf("p1", e))).ToList();

        var runs = rows.Select(r => r.PartitionKey).Aggregate(new List<string>(), (list, partition) =>
        {
            if (list.Count == 0 || list[^1] != partition) list.Add(partition);
            return list;
        });
        Assert.Equal(["p1", "p1:e1", "p1:e1:identities", "p1:e2", "p1:e2:identities"], runs);
        foreach (var partition in rows.GroupBy(r => r.PartitionKey))
        {
            var deletes = partition.SkipWhile(r => r.Json is not null).ToList();
            Assert.All(deletes, row => Assert.Null(row.Json));
        }
        Assert.Equal(4, rows.Count(r => r.Json is null));
    }
}
