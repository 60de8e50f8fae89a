using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using ProjectExports.LocalHost.Demo;
using ProjectExports.Projects;
using ProjectExports.Tests.Imports;
using ProjectExports.Tests.Infrastructure;

namespace ProjectExports.Tests.Exports;

/// <summary>
/// format "yaml" over the API: the record, the file's type, name and blob, and the round trip JSON export → YAML
/// export → import into an empty project → JSON export, byte-identical apart from exported_at.
/// </summary>
public sealed partial class YamlExportTests(LocalHostFixture host) : IClassFixture<LocalHostFixture>
{
    public static TheoryData<string, int> Shapes => new()
    {
        { "small", 1 },
        { "wide", 2 },
        { "deep", 3 },
        { "bare", 4 },
        { "hostile", 5 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task A_yaml_export_imports_back_to_the_same_json_export(string shape, int seed)
    {
        var source = shape == "hostile" ? await SeedHostileAsync(seed) : await host.SeedProjectAsync(Spec(shape), seed);
        var json = await ExportAsync(source.Project.Id, "json");
        var yaml = await ExportAsync(source.Project.Id, "yaml");
        Assert.DoesNotContain("&", Regex.Replace(yaml, "\"(?:[^\"\\\\]|\\\\.)*\"", "\"\""), StringComparison.Ordinal); // no anchors
        Assert.StartsWith("version: 1\nexported_at: ", yaml, StringComparison.Ordinal); // block style, the JSON's order

        var target = await host.CreateEmptyProjectAsync();
        using (var posted = await host.Http.PostAsync($"/api/projects/{target}/project-imports", new StringContent(yaml, Encoding.UTF8, "application/yaml")))
        {
            Assert.True(posted.StatusCode == HttpStatusCode.Accepted, await posted.Content.ReadAsStringAsync());
            var import = await host.WaitForImportAsync(target, (await posted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!);
            Assert.True(import.GetProperty("status").GetString() == "SUCCESS", import.ToString());
        }
        host.Clock.Advance(TimeSpan.FromSeconds(1));
        var again = await ExportAsync(target, "json");

        Assert.Equal(WithoutExportedAt(json), WithoutExportedAt(again));
    }

    [Fact]
    public async Task A_yaml_export_is_recorded_stored_and_downloaded_as_yaml()
    {
        var project = await host.SeedProjectAsync();
        var record = await host.ExportAndWaitAsync(project.Project.Id, new { format = "yaml" });
        var id = record.GetProperty("id").GetString()!;
        Assert.Equal("yaml", record.GetProperty("format").GetString());
        Assert.Equal("yaml", (await host.GetExportAsync(project.Project.Id, id)).GetProperty("format").GetString());

        using var download = await host.Http.GetAsync($"/api/projects/{project.Project.Id}/project-exports/{id}/download");
        download.EnsureSuccessStatusCode();
        Assert.Equal("application/yaml", download.Content.Headers.ContentType!.MediaType);
        Assert.Equal($"project-export.{project.Project.Id}.{id}.yaml", download.Content.Headers.ContentDisposition!.FileName?.Trim('"'));
        var bytes = await download.Content.ReadAsByteArrayAsync();
        Assert.Equal(record.GetProperty("size_bytes").GetInt64(), bytes.Length);

        var blob = host.Exports.GetBlobClient($"{project.Project.Id}/{id}.yaml");
        Assert.Equal("application/yaml", (await blob.GetPropertiesAsync()).Value.ContentType);
        Assert.False(await host.Exports.GetBlobClient($"{project.Project.Id}/{id}.json").ExistsAsync());
    }

    [Fact]
    public async Task The_size_limit_counts_the_yaml_bytes_stored()
    {
        var project = await host.SeedProjectAsync();
        var yamlSize = (await host.ExportAndWaitAsync(project.Project.Id, new { format = "yaml" })).GetProperty("size_bytes").GetInt64();
        var jsonSize = (await host.ExportAndWaitAsync(project.Project.Id)).GetProperty("size_bytes").GetInt64();
        Assert.True(jsonSize < yamlSize - 1);
        var limit = host.ExportOptions.MaxDocumentBytes;
        try
        {
            host.ExportOptions.MaxDocumentBytes = yamlSize;
            Assert.Equal("SUCCESS", (await host.ExportAndWaitAsync(project.Project.Id, new { format = "yaml" })).GetProperty("status").GetString());

            host.ExportOptions.MaxDocumentBytes = yamlSize - 1;
            var over = await host.ExportAndWaitAsync(project.Project.Id, new { format = "yaml" });
            Assert.Equal("export_too_large", over.GetProperty("error").GetProperty("code").GetString());
            Assert.False(await host.Exports.GetBlobClient($"{project.Project.Id}/{over.GetProperty("id").GetString()}.yaml").ExistsAsync());
            Assert.Equal("SUCCESS", (await host.ExportAndWaitAsync(project.Project.Id)).GetProperty("status").GetString());
        }
        finally
        {
            host.ExportOptions.MaxDocumentBytes = limit;
        }
    }

    [Fact]
    public async Task Without_a_format_the_export_is_json_and_says_so()
    {
        var project = await host.SeedProjectAsync();
        var record = await host.ExportAndWaitAsync(project.Project.Id);
        var id = record.GetProperty("id").GetString()!;
        Assert.Equal("json", record.GetProperty("format").GetString());
        using var download = await host.Http.GetAsync($"/api/projects/{project.Project.Id}/project-exports/{id}/download");
        Assert.Equal("application/json", download.Content.Headers.ContentType!.MediaType);
        Assert.Equal($"project-export.{project.Project.Id}.{id}.json", download.Content.Headers.ContentDisposition!.FileName?.Trim('"'));
    }

    [Theory]
    [InlineData("{\"format\": \"xml\"}")]
    [InlineData("{\"format\": \"YAML\"}")]
    [InlineData("{\"format\": \"\"}")]
    [InlineData("{\"format\": 1}")]
    [InlineData("{\"format\": null}")]
    public async Task An_unknown_format_is_refused_before_anything_is_created(string body)
    {
        var project = await host.SeedProjectAsync();
        var response = await host.Http.PostAsync($"/api/projects/{project.Project.Id}/project-exports",
            new StringContent(body, Encoding.UTF8, "application/json"));
        var problem = await Problem.ReadAsync(response, HttpStatusCode.BadRequest, "invalid_body");
        Assert.Contains("format", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var list = await host.Http.GetFromJsonAsync<JsonElement>($"/api/projects/{project.Project.Id}/project-exports");
        Assert.Equal(0, list.GetProperty("results").GetArrayLength());
    }

    private async Task<string> ExportAsync(string projectId, string format)
    {
        var record = await host.ExportAndWaitAsync(projectId, new { include_tags = true, include_identity_overrides = true, format });
        Assert.True(record.GetProperty("status").GetString() == "SUCCESS", record.ToString());
        return Encoding.UTF8.GetString(await host.DownloadAsync(projectId, record.GetProperty("id").GetString()!));
    }

    /// <summary>The document's text with only exported_at's value blanked: the comparison stays byte for byte.</summary>
    private static string WithoutExportedAt(string json)
    {
        Assert.Matches(ExportedAt(), json);
        return ExportedAt().Replace(json, "\"exported_at\":\"\"", 1);
    }

    [GeneratedRegex("\"exported_at\":\"[^\"]*\"")]
    private static partial Regex ExportedAt();

    private static DemoProjectSpec Spec(string shape) => shape switch
    {
        "wide" => new DemoProjectSpec(Features: 60, MultivariateShare: 0.6, Segments: 12, Environments: 5, SegmentOverridesPerEnvironment: 25, IdentityOverridesPerEnvironment: 40, Tags: 9),
        "deep" => new DemoProjectSpec(Features: 8, MultivariateShare: 1.0, Segments: 3, Environments: 2, SegmentOverridesPerEnvironment: 30, IdentityOverridesPerEnvironment: 90, Tags: 2),
        "bare" => new DemoProjectSpec(Features: 1, MultivariateShare: 0, Segments: 0, Environments: 1, SegmentOverridesPerEnvironment: 0, IdentityOverridesPerEnvironment: 0, Tags: 0, ArchivedFeatures: 0),
        _ => DemoProjectSpec.Small,
    };

    /// <summary>A demo project whose names, descriptions, trait values, identifiers and values are the strings YAML misreads.</summary>
    private async Task<ProjectSnapshot> SeedHostileAsync(int seed)
    {
        var names = HostileText.Names;
        var spec = new DemoProjectSpec(Features: names.Count, MultivariateShare: 0.5, Segments: names.Count / 2, Environments: 3,
            SegmentOverridesPerEnvironment: 20, IdentityOverridesPerEnvironment: 30, Tags: names.Count / 2, ArchivedFeatures: 0);
        var snapshot = DemoProjectGenerator.Generate(ImportClient.NewProjectId(), LocalHostFixture.SeededProjectName, spec, seed);
        var texts = HostileText.Values;
        string Text(int i) => texts[i % texts.Count];

        for (var i = 0; i < snapshot.Features.Count; i++)
        {
            var feature = snapshot.Features[i];
            feature.Name = names[i];
            feature.Description = Text(i);
            feature.InitialValue = Text(i + 1);
            foreach (var (option, o) in feature.MultivariateOptions.Select((o, index) => (o, index)))
            {
                option.StringValue = Text(i + o);
            }
        }
        for (var i = 0; i < snapshot.Segments.Count; i++)
        {
            snapshot.Segments[i].Name = names[^(i + 1)];
            snapshot.Segments[i].Description = Text(i + 2);
            foreach (var (condition, c) in snapshot.Segments[i].Rules.SelectMany(Conditions).Select((c, index) => (c, index)))
            {
                condition.Property = names[(i + c) % names.Count];
                condition.Value = Text(i + c);
                condition.Description = Text(i + c + 3);
            }
        }
        for (var i = 0; i < snapshot.Tags.Count; i++)
        {
            snapshot.Tags[i].Label = names[(i * 3) % names.Count];
            snapshot.Tags[i].Description = Text(i + 4);
        }
        var identifiers = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var e = 0; e < snapshot.Environments.Count; e++)
        {
            var environment = snapshot.Environments[e];
            environment.Environment.Name = names[e * 7 % names.Count];
            environment.Environment.Description = Text(e + 5);
            environment.Environment.BannerText = Text(e + 6);
            var states = environment.FeatureStates.Concat(environment.FeatureSegments.Select(s => s.FeatureState))
                .Concat(environment.IdentityOverrides.Select(o => o.FeatureState)).ToList();
            for (var s = 0; s < states.Count; s++)
            {
                var value = states[s].FeatureStateValue;
                if (value.Type == "unicode") value.StringValue = Text(s);
                if (value.Type == "int") value.IntegerValue = (s % 3) switch { 0 => long.MaxValue, 1 => long.MinValue, _ => -1 };
                // Numbers JSON writes in other ways than integers (33.333333333333336, 1E-07), adding up to no more than 100.
                foreach (var (allocation, a) in states[s].MultivariateFeatureStateValues.Select((v, index) => (v, index)))
                {
                    allocation.PercentageAllocation = a switch { 0 => 100.0 / 3, 1 => 1e-7, 2 => 30.5, _ => 0.25 };
                }
            }
            foreach (var identityOverride in environment.IdentityOverrides)
            {
                if (!identifiers.TryGetValue(identityOverride.Identifier, out var hostile))
                {
                    hostile = names[identifiers.Count % names.Count] + (identifiers.Count < names.Count ? "" : $" {identifiers.Count}");
                    identifiers[identityOverride.Identifier] = hostile;
                }
                identityOverride.Identifier = hostile;
            }
        }
        await host.Services.GetRequiredService<ProjectStore>().SaveAsync(snapshot, CancellationToken.None);
        return snapshot;
    }

    private static IEnumerable<SegmentCondition> Conditions(SegmentRule rule) =>
        rule.Conditions.Concat(rule.Rules.SelectMany(Conditions));
}
