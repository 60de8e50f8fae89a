using System.Text.Json;
using NJsonSchema;
using ProjectExports.Exports;
using ProjectExports.LocalHost.Demo;
using ProjectExports.Tests.Infrastructure;

namespace ProjectExports.Tests.Exports;

/// <summary>The document an export produces, read back through the download endpoint.</summary>
public sealed class ExportDocumentTests(LocalHostFixture host) : IClassFixture<LocalHostFixture>
{
    private async Task<JsonElement> ExportDocumentAsync(string projectId, object? body = null)
    {
        var record = await host.ExportAndWaitAsync(projectId, body);
        Assert.Equal("SUCCESS", record.GetProperty("status").GetString());
        var bytes = await host.DownloadAsync(projectId, record.GetProperty("id").GetString()!);
        return JsonDocument.Parse(bytes).RootElement.Clone();
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(false, false)]
    [InlineData(true, false)]
    public async Task Documents_validate_against_the_schema(bool tags, bool identityOverrides)
    {
        var project = await host.SeedProjectAsync();
        var document = await ExportDocumentAsync(project.Project.Id, new { include_tags = tags, include_identity_overrides = identityOverrides });

        var schema = await JsonSchema.FromFileAsync(RepositoryPaths.Schema);
        var errors = schema.Validate(document.GetRawText());
        Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => $"{e.Path}: {e.Kind}")));
    }

    [Theory]
    [InlineData("{\"version\": 2, \"exported_at\": \"2026-11-22T10:00:00Z\", \"segments\": [], \"features\": [], \"environments\": []}")]
    [InlineData("{\"version\": 1, \"exported_at\": \"2026-11-22T10:00:00Z\", \"tags\": null, \"segments\": [], \"features\": [], \"environments\": []}")]
    [InlineData("{\"version\": 1, \"exported_at\": \"2026-11-22T10:00:00Z\", \"segments\": [], \"features\": [{\"type\": \"STANDARD\"}], \"environments\": []}")]
    public async Task The_schema_rejects_broken_documents(string document)
    {
        var schema = await JsonSchema.FromFileAsync(RepositoryPaths.Schema);
        Assert.NotEmpty(schema.Validate(document));
    }

    [Fact]
    public async Task Documents_without_optional_data_omit_those_keys()
    {
        var project = await host.SeedProjectAsync();
        var document = await ExportDocumentAsync(project.Project.Id, new { include_tags = false, include_identity_overrides = false });

        Assert.False(document.TryGetProperty("tags", out _));
        Assert.All(document.GetProperty("features").EnumerateArray(), f => Assert.False(f.TryGetProperty("tags", out _)));
        Assert.All(document.GetProperty("environments").EnumerateArray(), e => Assert.False(e.TryGetProperty("identity_overrides", out _)));
    }

    [Fact]
    public async Task Documents_with_optional_data_include_it_resolved_by_name()
    {
        var project = await host.SeedProjectAsync();
        var document = await ExportDocumentAsync(project.Project.Id, new { include_tags = true, include_identity_overrides = true });

        var labels = document.GetProperty("tags").EnumerateArray().Select(t => t.GetProperty("label").GetString()!).ToHashSet();
        Assert.Equal(project.Tags.Select(t => t.Label).ToHashSet(), labels);
        var featureNames = document.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("name").GetString()).ToHashSet();
        Assert.All(document.GetProperty("features").EnumerateArray(), f =>
            Assert.All(f.GetProperty("tags").EnumerateArray(), t => Assert.Contains(t.GetString()!, labels)));
        var environments = document.GetProperty("environments").EnumerateArray().ToList();
        Assert.Equal(project.Environments.Count, environments.Count);
        foreach (var environment in environments)
        {
            var source = project.Environments.Single(e => e.Environment.Name == environment.GetProperty("name").GetString());
            var overrides = environment.GetProperty("identity_overrides").EnumerateArray().ToList();
            var archived = project.Features.Where(f => f.IsArchived).Select(f => f.Id).ToHashSet();
            Assert.Equal(source.IdentityOverrides.Count(o => !archived.Contains(o.FeatureState.Feature)), overrides.Count);
            Assert.All(overrides, o => Assert.Contains(o.GetProperty("feature_state").GetProperty("feature").GetString(), featureNames));
            Assert.All(environment.GetProperty("feature_segments").EnumerateArray(), s => Assert.Contains(s.GetProperty("feature").GetString(), featureNames));
        }
    }

    [Fact]
    public async Task Archived_features_and_their_states_are_left_out()
    {
        var project = await host.SeedProjectAsync();
        var archived = project.Features.Where(f => f.IsArchived).Select(f => f.Name).ToList();
        Assert.NotEmpty(archived);
        var document = await ExportDocumentAsync(project.Project.Id, new { include_identity_overrides = true });

        var text = document.GetRawText();
        Assert.All(archived, name => Assert.DoesNotContain($"\"{name}\"", text, StringComparison.Ordinal));
        Assert.Equal(project.Features.Count - archived.Count, document.GetProperty("features").GetArrayLength());
    }

    [Fact]
    public async Task Every_array_is_in_its_documented_order()
    {
        var project = await host.SeedProjectAsync(DemoProjectSpec.Small with { IdentityOverridesPerEnvironment = 60, SegmentOverridesPerEnvironment = 30 });
        var document = await ExportDocumentAsync(project.Project.Id, new { include_identity_overrides = true });
        var order = ExportOrder.Instance;

        AssertSorted(document.GetProperty("tags").EnumerateArray().Select(t => t.GetProperty("label").GetString()!), order);
        AssertSorted(document.GetProperty("segments").EnumerateArray().Select(s => s.GetProperty("name").GetString()!), order);
        AssertSorted(document.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("name").GetString()!), order);
        AssertSorted(document.GetProperty("environments").EnumerateArray().Select(e => e.GetProperty("name").GetString()!), order);
        foreach (var environment in document.GetProperty("environments").EnumerateArray())
        {
            AssertSorted(environment.GetProperty("feature_states").EnumerateArray().Select(s => s.GetProperty("feature").GetString()!), order);
            AssertSorted(environment.GetProperty("feature_segments").EnumerateArray()
                .Select(s => $"{s.GetProperty("feature").GetString()}\u0000{s.GetProperty("priority").GetInt32():D10}"), order);
            AssertSorted(environment.GetProperty("identity_overrides").EnumerateArray()
                .Select(o => $"{o.GetProperty("identifier").GetString()}\u0000{o.GetProperty("feature_state").GetProperty("feature").GetString()}"), order);
        }
    }

    [Fact]
    public async Task Exporting_twice_gives_the_same_document_apart_from_exported_at()
    {
        var project = await host.SeedProjectAsync(DemoProjectSpec.Small, seed: 7);
        var first = await ExportDocumentAsync(project.Project.Id, new { include_identity_overrides = true });
        host.Clock.Advance(TimeSpan.FromSeconds(5));
        var second = await ExportDocumentAsync(project.Project.Id, new { include_identity_overrides = true });

        Assert.NotEqual(first.GetProperty("exported_at").GetString(), second.GetProperty("exported_at").GetString());
        Assert.Equal(WithoutExportedAt(first), WithoutExportedAt(second));
    }

    private static string WithoutExportedAt(JsonElement document) =>
        string.Join(",", document.EnumerateObject().Where(p => p.Name != "exported_at").Select(p => p.ToString()));

    private static void AssertSorted(IEnumerable<string> values, IComparer<string> order)
    {
        var list = values.ToList();
        Assert.Equal(list.Order(order), list);
    }
}
