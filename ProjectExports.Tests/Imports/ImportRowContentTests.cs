using System.Text.Json;
using ProjectExports.Imports;
using ProjectExports.Projects;

namespace ProjectExports.Tests.Imports;

/// <summary>What an import's verification counts as its own row: equal as far as a document goes, at every level.</summary>
public sealed class ImportRowContentTests
{
    private static readonly ProjectRowKey EnvironmentRow = new("p1", "environment:e1");
    private static readonly ProjectRowKey SegmentOverrideRow = new("p1:e1", "segment-override:s1");

    private static byte[] Json<T>(T model) => JsonSerializer.SerializeToUtf8Bytes(model, (System.Text.Json.Serialization.Metadata.JsonTypeInfo<T>)ProjectJsonContext.Default.GetTypeInfo(typeof(T))!);

    private static ProjectEnvironment Environment(string apiKey, DateTimeOffset at, string? description = "d") =>
        new() { Id = "e1", Project = "p1", Name = "Production", Description = description, ApiKey = apiKey, CreatedDate = at, UpdatedAt = at };

    private static FeatureSegment Override(string stateId, bool enabled, DateTimeOffset at) => new()
    {
        Id = "s1", Feature = "f1", Segment = "g1", Environment = "e1", Priority = 0,
        FeatureState = new FeatureState
        {
            Id = stateId, Feature = "f1", Environment = "e1", Enabled = enabled, CreatedAt = at, UpdatedAt = at,
            MultivariateFeatureStateValues = [new MultivariateFeatureStateValue { Id = stateId + "-v0", MultivariateFeatureOption = "o1", PercentageAllocation = 30 }],
        },
    };

    [Fact]
    public void Rows_that_differ_only_where_no_document_reaches_match()
    {
        var now = DateTimeOffset.Parse("2026-12-03T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

        Assert.True(ImportRowContent.Matches("p1", EnvironmentRow, Json(Environment("key-a", now)), Json(Environment("key-b", now.AddSeconds(1)))));
        Assert.True(ImportRowContent.Matches("p1", SegmentOverrideRow, Json(Override("a", true, now)), Json(Override("b", true, now.AddSeconds(1)))));
    }

    [Fact]
    public void Rows_that_differ_in_what_a_document_holds_do_not_match_at_any_depth()
    {
        var now = DateTimeOffset.Parse("2026-12-03T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

        Assert.False(ImportRowContent.Matches("p1", EnvironmentRow, Json(Environment("key", now)), Json(Environment("key", now, description: "other"))));
        Assert.False(ImportRowContent.Matches("p1", SegmentOverrideRow, Json(Override("a", true, now)), Json(Override("a", false, now))));
        Assert.False(ImportRowContent.Matches("p1", EnvironmentRow, null, Json(Environment("key", now))));
        Assert.True(ImportRowContent.Matches("p1", EnvironmentRow, null, null));
    }
}
