using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using NJsonSchema;
using ProjectExports.LocalHost.Demo;
using ProjectExports.Projects;
using ProjectExports.Tests.Imports;
using ProjectExports.Tests.Infrastructure;

namespace ProjectExports.Tests.Exports;

/// <summary>Exports limited to environments, features and tags by name, over HTTP against the LocalHost and Azurite.</summary>
public sealed class ExportSelectionTests(LocalHostFixture host) : IClassFixture<LocalHostFixture>
{
    private static readonly DemoProjectSpec Spec = new(Features: 30, MultivariateShare: 0.3, Segments: 8, Environments: 3,
        SegmentOverridesPerEnvironment: 10, IdentityOverridesPerEnvironment: 40, Tags: 6, ArchivedFeatures: 3);

    private async Task<(JsonElement Record, JsonObject Document)> ExportAsync(string projectId, object body)
    {
        var record = await host.ExportAndWaitAsync(projectId, body);
        Assert.Equal("SUCCESS", record.GetProperty("status").GetString());
        var text = Encoding.UTF8.GetString(await host.DownloadAsync(projectId, record.GetProperty("id").GetString()!));
        return (record, ImportClient.Parse(text));
    }

    private static List<string> Names(JsonNode section, string key = "name") =>
        section.AsArray().Select(item => (string)item![key]!).ToList();

    [Fact]
    public async Task A_selection_exports_the_named_environments_and_the_named_and_tagged_features_with_what_they_refer_to()
    {
        var project = await host.SeedProjectAsync(Spec, seed: 3);
        var live = project.Features.Where(f => !f.IsArchived).ToList();
        var tag = project.Tags[1];
        var tagged = live.Where(f => f.Tags.Contains(tag.Id)).ToList();
        var named = live.Where(f => !f.Tags.Contains(tag.Id)).Take(2).ToList();
        Assert.NotEmpty(tagged);
        var environment = project.Environments[^1].Environment;

        var (record, document) = await ExportAsync(project.Project.Id, new
        {
            include_tags = true,
            include_identity_overrides = true,
            environments = new[] { environment.Name },
            features = new[] { named[1].Name, named[0].Name },
            tags = new[] { tag.Label },
        });

        // The record and the document say what was asked for, names in export order.
        var selection = record.GetProperty("selection");
        Assert.Equal([environment.Name], selection.GetProperty("environments").EnumerateArray().Select(n => n.GetString()));
        Assert.Equal(named.Select(f => f.Name).Order(StringComparer.Ordinal), selection.GetProperty("features").EnumerateArray().Select(n => n.GetString()));
        Assert.Equal([tag.Label], selection.GetProperty("tags").EnumerateArray().Select(n => n.GetString()));
        Assert.Equal(selection.GetRawText(), JsonSerializer.Serialize(document["selection"]));

        var features = named.Concat(tagged).ToList();
        Assert.Equal(features.Select(f => f.Name).Order(StringComparer.Ordinal), Names(document["features"]!));
        Assert.Equal([environment.Name], Names(document["environments"]!));
        var exported = document["environments"]![0]!;
        var featureNames = features.Select(f => f.Name).ToHashSet();
        Assert.All(exported["feature_states"]!.AsArray(), s => Assert.Contains((string)s!["feature"]!, featureNames));
        Assert.All(exported["identity_overrides"]!.AsArray(), o => Assert.Contains((string)o!["feature_state"]!["feature"]!, featureNames));
        Assert.Equal(features.Count, exported["feature_states"]!.AsArray().Count);

        // Exactly the tags the features carry and the segments their overrides use: self-contained, nothing more.
        var tagLabels = project.Tags.Where(t => features.Any(f => f.Tags.Contains(t.Id))).Select(t => t.Label).Order(StringComparer.Ordinal);
        Assert.Equal(tagLabels, Names(document["tags"]!, "label"));
        var segmentNames = exported["feature_segments"]!.AsArray().Select(o => (string)o!["segment"]!).Distinct().Order(StringComparer.Ordinal).ToList();
        Assert.Equal(segmentNames, Names(document["segments"]!));
        Assert.True(segmentNames.Count < project.Segments.Count, "some segments are left out");

        var schema = await JsonSchema.FromFileAsync(RepositoryPaths.Schema);
        var errors = schema.Validate(document.ToJsonString());
        Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => $"{e.Path}: {e.Kind}")));
        var validation = await host.ValidateAsync(project.Project.Id, document.ToJsonString(), "SKIP");
        Assert.True(validation.GetProperty("errors").GetArrayLength() == 0, validation.GetRawText());
        Assert.DoesNotContain(validation.GetProperty("warnings").EnumerateArray(), w => w.GetProperty("code").GetString() == "unknown_property");
    }

    [Fact]
    public async Task Selecting_everything_changes_nothing_but_the_selection_key_and_the_unused_tags_and_segments()
    {
        var project = await host.SeedProjectAsync(Spec, seed: 4);
        var full = ImportClient.Parse(await host.ExportDocumentAsync(project.Project.Id));
        var (record, selected) = await ExportAsync(project.Project.Id, new
        {
            include_tags = true,
            include_identity_overrides = true,
            environments = project.Environments.Select(e => e.Environment.Name).ToArray(),
            features = project.Features.Where(f => !f.IsArchived).Select(f => f.Name).ToArray(),
        });
        Assert.Equal(JsonValueKind.Object, record.GetProperty("selection").ValueKind);
        Assert.Equal(JsonValueKind.Null, record.GetProperty("selection").GetProperty("tags").ValueKind);

        Assert.True(selected.Remove("selection"));
        Assert.False(full.ContainsKey("selection"));
        var usedTags = full["features"]!.AsArray().SelectMany(f => f!["tags"]!.AsArray().Select(t => (string)t!)).ToHashSet();
        var usedSegments = full["environments"]!.AsArray().SelectMany(e => e!["feature_segments"]!.AsArray().Select(o => (string)o!["segment"]!)).ToHashSet();
        Keep(full["tags"]!.AsArray(), t => usedTags.Contains((string)t["label"]!));
        Keep(full["segments"]!.AsArray(), s => usedSegments.Contains((string)s["name"]!));
        Assert.Equal(ImportClient.WithoutExportedAt(full.ToJsonString()), ImportClient.WithoutExportedAt(selected.ToJsonString()));
    }

    private static void Keep(JsonArray array, Func<JsonNode, bool> keep)
    {
        foreach (var item in array.Where(i => !keep(i!)).ToList()) array.Remove(item);
    }

    [Fact]
    public async Task Without_a_selection_the_record_shows_null_and_the_document_has_no_selection_key()
    {
        var project = await host.SeedProjectAsync(Spec, seed: 5);
        var (record, document) = await ExportAsync(project.Project.Id, new { environments = (string[]?)null, features = (string[]?)null, tags = (string[]?)null });

        Assert.Equal(JsonValueKind.Null, record.GetProperty("selection").ValueKind);
        Assert.False(document.ContainsKey("selection"));
        Assert.Equal(project.Environments.Count, document["environments"]!.AsArray().Count);
        Assert.Equal(project.Segments.Count, document["segments"]!.AsArray().Count);
    }

    [Fact]
    public async Task Names_that_would_not_fit_the_record_are_a_400_not_a_503_and_no_export_is_created()
    {
        // Emoji are 4 bytes in the body and 12 in the stored JSON (escaped surrogate pairs): a body within its limit
        // can name more than the record's row holds.
        var project = await host.SeedProjectAsync(Spec, seed: 8);
        var names = Enumerable.Range(0, 12).Select(i => $"{i}" + string.Concat(Enumerable.Repeat("\U0001F600", 450))).ToList();
        project.Features.AddRange(names.Select((name, i) => new Feature { Id = $"f-emoji-{i}", Project = project.Project.Id, Name = name }));
        await host.Services.GetRequiredService<ProjectStore>().SaveAsync(project, CancellationToken.None);

        // Written by hand: the serializer would escape the emoji in the body too.
        var body = "{\"features\": [" + string.Join(", ", names.Select(n => $"\"{n}\"")) + "]}";
        using var response = await host.Http.PostAsync($"/api/projects/{project.Project.Id}/project-exports", new StringContent(body, Encoding.UTF8, "application/json"));

        var problem = await Problem.ReadAsync(response, HttpStatusCode.BadRequest, "invalid_selection");
        Assert.Equal("selection_too_large", problem.GetProperty("errors")[0].GetProperty("code").GetString());
        var list = await host.Http.GetFromJsonAsync<JsonElement>($"/api/projects/{project.Project.Id}/project-exports");
        Assert.Equal(0, list.GetProperty("results").GetArrayLength());
    }

    [Fact]
    public async Task Every_unknown_name_is_listed_in_one_400_and_no_export_is_created()
    {
        var project = await host.SeedProjectAsync(Spec, seed: 6);
        var archived = project.Features.First(f => f.IsArchived && project.Features.Count(o => o.Name == f.Name) == 1);
        using var response = await host.Http.PostAsJsonAsync($"/api/projects/{project.Project.Id}/project-exports", new
        {
            environments = new[] { project.Environments[0].Environment.Name, "Staging 2" },
            features = new[] { "no_such_feature", project.Features.First(f => !f.IsArchived).Name, archived.Name },
            tags = new[] { "nope" },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await Problem.ReadAsync(response, HttpStatusCode.BadRequest, "invalid_selection");
        var errors = problem.GetProperty("errors").EnumerateArray()
            .Select(e => (e.GetProperty("code").GetString(), e.GetProperty("path").GetString(), e.GetProperty("message").GetString()!)).ToList();
        Assert.Equal(["unknown_environment", "unknown_feature", "archived_feature", "unknown_tag"], errors.Select(e => e.Item1));
        Assert.Equal(["/environments/1", "/features/0", "/features/2", "/tags/0"], errors.Select(e => e.Item2));
        Assert.Contains("'Staging 2'", errors[0].Item3);
        Assert.Contains("'no_such_feature'", errors[1].Item3);
        Assert.Contains("'nope'", errors[3].Item3);

        var list = await host.Http.GetFromJsonAsync<JsonElement>($"/api/projects/{project.Project.Id}/project-exports");
        Assert.Equal(0, list.GetProperty("results").GetArrayLength());
    }

    [Theory]
    [InlineData("""{"features": []}""", "empty_selection", "/features")]
    [InlineData("""{"environments": ["Production", "Production"]}""", "duplicate_name", "/environments/1")]
    [InlineData("""{"tags": [null]}""", "wrong_type", "/tags/0")]
    public async Task Empty_lists_repeated_names_and_null_names_are_refused(string body, string code, string path)
    {
        var project = await host.SeedProjectAsync(Spec, seed: 7);
        using var response = await host.Http.PostAsync($"/api/projects/{project.Project.Id}/project-exports",
            new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await Problem.ReadAsync(response, HttpStatusCode.BadRequest, "invalid_selection");
        var error = Assert.Single(problem.GetProperty("errors").EnumerateArray());
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.Equal(path, error.GetProperty("path").GetString());
    }

    [Theory]
    [InlineData("""{"features": "checkout"}""")]
    [InlineData("""{"features": [1]}""")]
    public async Task A_list_of_another_type_is_refused_in_json_terms(string body)
    {
        var project = await host.SeedProjectAsync(Spec, seed: 8);
        using var response = await host.Http.PostAsync($"/api/projects/{project.Project.Id}/project-exports",
            new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await Problem.ReadAsync(response, HttpStatusCode.BadRequest, "invalid_body");
        Assert.Equal("'features' must be an array of strings.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_selection_of_a_tag_no_live_feature_carries_exports_an_empty_but_importable_document()
    {
        var project = await host.SeedProjectAsync(Spec, seed: 9);
        var unused = project.Tags.FirstOrDefault(t => !project.Features.Any(f => !f.IsArchived && f.Tags.Contains(t.Id)));
        var label = unused?.Label;
        if (label is null)
        {
            // Every generated tag is carried: add one that is not.
            label = "unused-tag";
            project.Tags.Add(new Tag { Id = "t-unused", Label = label, Color = "#000000", Project = project.Project.Id });
            await host.Services.GetRequiredService<ProjectStore>().SaveAsync(project, CancellationToken.None);
        }
        var (_, document) = await ExportAsync(project.Project.Id, new { tags = new[] { label } });

        Assert.Empty(document["features"]!.AsArray());
        Assert.Empty(document["segments"]!.AsArray());
        Assert.Empty(document["tags"]!.AsArray());
        Assert.All(document["environments"]!.AsArray(), e => Assert.Empty(e!["feature_states"]!.AsArray()));
        var validation = await host.ValidateAsync(project.Project.Id, document.ToJsonString(), "SKIP");
        Assert.True(validation.GetProperty("errors").GetArrayLength() == 0, validation.GetRawText());
    }
}
