using System.Text.Json;
using ProjectExports.Projects;
using ProjectExports.Storage;

namespace ProjectExports.Tests.Projects;

/// <summary>The check an import makes before its 202 refuses what writing would refuse, page limits included.</summary>
public sealed class ProjectRowLimitTests
{
    /// <summary>A feature whose stored JSON is exactly <paramref name="bytes"/> long.</summary>
    private static Feature FeatureOf(int bytes)
    {
        var feature = new Feature { Id = "f1", Name = "big", Description = "" };
        var empty = JsonSerializer.SerializeToUtf8Bytes(feature, ProjectJsonContext.Default.Feature).Length;
        feature.Description = new string('d', bytes - empty);
        Assert.Equal(bytes, JsonSerializer.SerializeToUtf8Bytes(feature, ProjectJsonContext.Default.Feature).Length);
        return feature;
    }

    [Fact]
    public void A_row_within_an_entity_but_too_large_for_a_page_of_its_own_is_refused_by_the_check()
    {
        // Under Table Storage's entity limit, over what a page holds beside the row's key.
        var changes = new ProjectChanges { ProjectId = "p1", Features = [FeatureOf(JsonEntityCodec.MaxBytes - 10)] };

        var error = Assert.Throws<StorageLimitException>(() => ProjectStore.ProjectRowsOf(changes).ToList());

        Assert.Contains("feature:f1", error.Message);
        Assert.Single(ProjectStore.ProjectRowsOf(new ProjectChanges { ProjectId = "p1", Features = [FeatureOf(JsonEntityCodec.MaxBytes - 100)] }));
    }

    [Fact]
    public void Rows_are_built_one_at_a_time_as_they_are_enumerated()
    {
        // An import's plan streams its rows into its stored form: a row is built (and checked) only when reached.
        var changes = new ProjectChanges { ProjectId = "p1", Features = [FeatureOf(1_000), FeatureOf(JsonEntityCodec.MaxBytes - 10)] };
        changes.Features[1].Id = "f2";

        var first = ProjectStore.ProjectRowsOf(changes).First();

        Assert.Equal("feature:f1", first.RowKey);
        Assert.Throws<StorageLimitException>(() => ProjectStore.ProjectRowsOf(changes).ToList());
    }
}
