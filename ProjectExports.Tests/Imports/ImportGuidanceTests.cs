using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using ProjectExports.Tests.Infrastructure;

namespace ProjectExports.Tests.Imports;

/// <summary>What validate says matches what the import does, and an upload is read in the format it is in, over HTTP through the LocalHost.</summary>
public sealed class ImportGuidanceTests(LocalHostFixture host) : IClassFixture<LocalHostFixture>
{
    /// <summary>Per section: the summary's counts of entities created new, replaced and left alone.</summary>
    private static readonly (string Section, Func<Dictionary<string, int>, (int New, int Replaced, int Skipped)> Counts)[] Kinds =
    [
        // Left alone: skipped (differs, SKIP) or unchanged (equal): both warn will_skip.
        ("tags", s => (s["tags_created"], s["tags_updated"], s["tags_skipped"] + s["tags_unchanged"])),
        // A replaced segment or feature counts as deleted and created.
        ("segments", s => (s["segments_created"] - s["segments_deleted"], s["segments_deleted"], s["segments_skipped"] + s["segments_unchanged"])),
        ("features", s => (s["features_created"] - s["features_deleted"], s["features_deleted"], s["features_skipped"] + s["features_unchanged"])),
        ("environments", s => (s["environments_created"], s["environments_updated"], s["environments_skipped"] + s["environments_unchanged"])),
    ];

    [Theory]
    [InlineData("SKIP")]
    [InlineData("OVERWRITE_DESTRUCTIVE")]
    public async Task Validate_warns_once_per_tag_segment_feature_and_environment_as_its_summary_counts(string strategy)
    {
        var project = await host.CreateEmptyProjectAsync();
        Assert.Equal("SUCCESS", (await host.ImportAndWaitAsync(project, ImportDocuments.Valid)).GetProperty("status").GetString());
        var document = WithOneMoreOfEach();

        var result = await host.ValidateAsync(project, document, strategy);

        Assert.Empty(result.GetProperty("errors").EnumerateArray());
        var summary = ImportClient.Summary(result);
        var warnings = result.GetProperty("warnings").EnumerateArray()
            .Select(w => (Code: w.GetProperty("code").GetString()!, Path: w.GetProperty("path").GetString()!)).ToList();
        foreach (var (section, counts) in Kinds)
        {
            int Count(string code) => warnings.Count(w => w.Code == code && w.Path.StartsWith($"/{section}/", StringComparison.Ordinal) && w.Path.Count(c => c == '/') == 2);
            var (created, replaced, skipped) = counts(summary);
            Assert.Equal(1, created); // the one added below
            Assert.True((created, replaced, skipped) == (Count("will_create"), Count("will_overwrite"), Count("will_skip")),
                $"{section}: summary {(created, replaced, skipped)}, warnings {(Count("will_create"), Count("will_overwrite"), Count("will_skip"))}");
        }
    }

    [Fact]
    public async Task A_YAML_file_whose_name_does_not_say_so_is_read_as_YAML()
    {
        var project = await host.CreateEmptyProjectAsync();

        using var response = await host.Http.PostAsync($"/api/projects/{project}/project-imports/validate", ImportClient.Multipart(Yaml, "export.txt"));

        var result = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.OK, result.ToString());
        Assert.Empty(result.GetProperty("errors").EnumerateArray());
        Assert.Equal(1, ImportClient.Summary(result)["features_created"]);
    }

    [Fact]
    public async Task JSON_in_a_file_whose_name_says_nothing_is_still_JSON_and_a_wrong_guess_says_how_to_name_the_file()
    {
        var project = await host.CreateEmptyProjectAsync();
        var url = $"/api/projects/{project}/project-imports/validate";

        using var json = await host.Http.PostAsync(url, ImportClient.Multipart(ImportDocuments.Valid, "export"));
        using var flowYaml = await host.Http.PostAsync(url, ImportClient.Multipart("{version: 1}", "export.txt"));

        Assert.Empty((await json.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateArray());
        var error = (await flowYaml.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors")[0];
        Assert.Equal("invalid_json", error.GetProperty("code").GetString());
        Assert.Contains("name a YAML file .yaml", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    /// <summary>The valid document (already imported) plus a new tag, segment, feature and environment.</summary>
    private static string WithOneMoreOfEach()
    {
        var document = ImportDocuments.Parse();
        document["tags"]!.AsArray().Add(JsonNode.Parse("""{"label": "extra", "color": "#00FF00", "description": null, "is_permanent": false}"""));
        document["segments"]!.AsArray().Add(JsonNode.Parse("""{"name": "gamma", "description": null, "rules": []}"""));
        document["features"]!.AsArray().Add(JsonNode.Parse("""
            {"name": "fresh", "type": "STANDARD", "default_enabled": false, "initial_value": null, "description": null,
             "is_server_key_only": false, "tags": ["extra"], "multivariate_options": []}
            """));
        var staging = document["environments"]![0]!.DeepClone().AsObject();
        staging["name"] = "Staging";
        document["environments"]!.AsArray().Add(staging);
        return document.ToJsonString();
    }

    private const string Yaml = """
        # exported by hand
        version: 1
        exported_at: "2026-11-22T10:00:00Z"
        segments: []
        features:
          - name: search
            type: STANDARD
            default_enabled: true
            initial_value: null
            description: null
            is_server_key_only: false
            multivariate_options: []
        environments: []
        """;
}
