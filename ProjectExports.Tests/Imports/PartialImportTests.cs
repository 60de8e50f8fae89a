using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ProjectExports.LocalHost.Demo;
using ProjectExports.Projects;
using ProjectExports.Tests.Infrastructure;

namespace ProjectExports.Tests.Imports;

/// <summary>
/// A one-feature export imported into a copy of its project whose feature was changed: with either strategy the copy
/// afterwards differs from before in that feature alone, compared through full exports (every section, identity
/// overrides included). The copy differs from the source in another feature too, which the import must leave as it is.
/// </summary>
public sealed class PartialImportTests(LocalHostFixture host) : IClassFixture<LocalHostFixture>
{
    private static readonly DemoProjectSpec Spec = new(Features: 24, MultivariateShare: 0.5, Segments: 6, Environments: 3,
        SegmentOverridesPerEnvironment: 12, IdentityOverridesPerEnvironment: 60, Tags: 5);

    private const int Seed = 21;

    [Fact]
    public async Task Overwrite_of_a_one_feature_export_replaces_that_feature_and_leaves_the_rest_as_it_was()
    {
        var (source, feature) = await SeedSourceAsync();
        var copy = Generate();
        Change(copy, feature);
        Change(copy, Other(copy).Name);
        await SaveAsync(copy);
        var before = ImportClient.Parse(await host.ExportDocumentAsync(copy.Project.Id));
        Assert.NotEqual(Part(source, feature).ToJsonString(), Part(before, feature).ToJsonString());

        var import = await host.ImportAndWaitAsync(copy.Project.Id, await ExportOneFeatureAsync(feature), "OVERWRITE_DESTRUCTIVE");

        Assert.Equal("SUCCESS", import.GetProperty("status").GetString());
        var after = ImportClient.Parse(await host.ExportDocumentAsync(copy.Project.Id));
        Assert.Equal(Rest(before, feature).ToJsonString(), Rest(after, feature).ToJsonString());
        Assert.Equal(Part(source, feature).ToJsonString(), Part(after, feature).ToJsonString());
    }

    [Fact]
    public async Task Skip_of_a_one_feature_export_adds_a_missing_feature_alone_and_leaves_a_changed_one_alone()
    {
        var (source, feature) = await SeedSourceAsync();
        var document = await ExportOneFeatureAsync(feature);

        // Into a copy without the feature: it arrives as the source has it, and nothing else moves.
        var without = Generate();
        Remove(without, feature);
        Remove(without, Other(without).Name);
        await SaveAsync(without);
        var before = ImportClient.Parse(await host.ExportDocumentAsync(without.Project.Id));
        Assert.Empty(Part(before, feature)["features"]!.AsArray());
        var import = await host.ImportAndWaitAsync(without.Project.Id, document, "SKIP");
        Assert.Equal("SUCCESS", import.GetProperty("status").GetString());
        var after = ImportClient.Parse(await host.ExportDocumentAsync(without.Project.Id));
        Assert.Equal(Rest(before, feature).ToJsonString(), Rest(after, feature).ToJsonString());
        Assert.Equal(Part(source, feature).ToJsonString(), Part(after, feature).ToJsonString());

        // Into a copy where it was changed: SKIP keeps what exists, so nothing changes at all.
        var changed = Generate();
        Change(changed, feature);
        await SaveAsync(changed);
        var unchanged = ImportClient.WithoutExportedAt(await host.ExportDocumentAsync(changed.Project.Id));
        Assert.Equal("SUCCESS", (await host.ImportAndWaitAsync(changed.Project.Id, document, "SKIP")).GetProperty("status").GetString());
        Assert.Equal(unchanged, ImportClient.WithoutExportedAt(await host.ExportDocumentAsync(changed.Project.Id)));
    }

    private string _sourceId = "";

    /// <summary>The source project, fully exported, and the feature to move.</summary>
    private async Task<(JsonObject Document, string Feature)> SeedSourceAsync()
    {
        var source = Generate();
        _sourceId = source.Project.Id;
        await SaveAsync(source);
        return (ImportClient.Parse(await host.ExportDocumentAsync(source.Project.Id)), Moved(source).Name);
    }

    private async Task<string> ExportOneFeatureAsync(string feature)
    {
        var record = await host.ExportAndWaitAsync(_sourceId, new { include_tags = true, include_identity_overrides = true, features = new[] { feature } });
        Assert.Equal("SUCCESS", record.GetProperty("status").GetString());
        return Encoding.UTF8.GetString(await host.DownloadAsync(_sourceId, record.GetProperty("id").GetString()!));
    }

    /// <summary>
    /// The same project under a new id each time. Its moved feature has options, and a segment override and an identity
    /// override in every environment, so every part of a feature's data is exercised.
    /// </summary>
    private static ProjectSnapshot Generate()
    {
        var snapshot = DemoProjectGenerator.Generate(ImportClient.NewProjectId(), LocalHostFixture.SeededProjectName, Spec, Seed);
        var feature = Moved(snapshot);
        foreach (var environment in snapshot.Environments)
        {
            var id = environment.Environment.Id;
            if (!environment.FeatureSegments.Any(o => o.Feature == feature.Id))
                environment.FeatureSegments.Add(new FeatureSegment
                {
                    Id = "moved-" + id, Feature = feature.Id, Segment = snapshot.Segments[0].Id, Environment = id,
                    FeatureState = new FeatureState { Id = "moved-state-" + id, Feature = feature.Id, Environment = id },
                });
            if (!environment.IdentityOverrides.Any(o => o.FeatureState.Feature == feature.Id))
                environment.IdentityOverrides.Add(new IdentityOverride
                {
                    Identifier = "moved-user", Environment = id,
                    FeatureState = new FeatureState { Id = "moved-identity-" + id, Feature = feature.Id, Environment = id },
                });
        }
        return snapshot;
    }

    /// <summary>A feature the document does not name, changed or missing in the copy as well.</summary>
    private static Feature Other(ProjectSnapshot snapshot) => snapshot.Features.Where(f => !f.IsArchived && f != Moved(snapshot)).Skip(1).First();

    private static Feature Moved(ProjectSnapshot snapshot) => snapshot.Features.First(f => !f.IsArchived && f.MultivariateOptions.Count > 0);

    private Task SaveAsync(ProjectSnapshot snapshot) => host.Services.GetRequiredService<ProjectStore>().SaveAsync(snapshot, CancellationToken.None);

    /// <summary>Changes the feature everywhere: definition, states, segment overrides (one more) and identity overrides (one changed, one more).</summary>
    private static void Change(ProjectSnapshot snapshot, string name)
    {
        var feature = snapshot.Features.Single(f => f.Name == name);
        feature.Description = "changed in the copy";
        if (feature.MultivariateOptions.Count > 0) feature.MultivariateOptions[0].StringValue = "changed";
        foreach (var environment in snapshot.Environments)
        {
            var state = environment.FeatureStates.Single(s => s.Feature == feature.Id);
            state.Enabled = !state.Enabled;
            environment.FeatureSegments.Add(new FeatureSegment
            {
                Id = $"extra-{feature.Id}-{environment.Environment.Id}", Feature = feature.Id, Segment = snapshot.Segments[^1].Id, Environment = environment.Environment.Id,
                Priority = 99, FeatureState = new FeatureState { Id = "extra-state", Feature = feature.Id, Environment = environment.Environment.Id, Enabled = true },
            });
            if (environment.IdentityOverrides.FirstOrDefault(o => o.FeatureState.Feature == feature.Id) is { } identityOverride) identityOverride.FeatureState.Enabled ^= true;
            environment.IdentityOverrides.Add(new IdentityOverride
            {
                Identifier = "only-in-the-copy", Environment = environment.Environment.Id,
                FeatureState = new FeatureState { Id = "extra-identity", Feature = feature.Id, Environment = environment.Environment.Id, Enabled = true },
            });
        }
    }

    private static void Remove(ProjectSnapshot snapshot, string name)
    {
        var id = snapshot.Features.Single(f => f.Name == name).Id;
        snapshot.Features.RemoveAll(f => f.Id == id);
        foreach (var environment in snapshot.Environments)
        {
            environment.FeatureStates.RemoveAll(s => s.Feature == id);
            environment.FeatureSegments.RemoveAll(o => o.Feature == id);
            environment.IdentityOverrides.RemoveAll(o => o.FeatureState.Feature == id);
        }
    }

    /// <summary>The document without the feature and its data in every environment (and without exported_at).</summary>
    private static JsonObject Rest(JsonObject document, string feature) => Split(document, feature, keepFeature: false);

    /// <summary>The feature and its data in every environment, alone.</summary>
    private static JsonObject Part(JsonObject document, string feature) => Split(document, feature, keepFeature: true);

    private static JsonObject Split(JsonObject document, string feature, bool keepFeature)
    {
        var copy = JsonNode.Parse(document.ToJsonString())!.AsObject();
        copy.Remove("exported_at");
        if (keepFeature)
        {
            copy.Remove("tags");
            copy.Remove("segments");
        }
        Keep(copy["features"]!.AsArray(), f => ((string)f["name"]! == feature) == keepFeature);
        foreach (var environment in copy["environments"]!.AsArray())
        {
            Keep(environment!["feature_states"]!.AsArray(), s => ((string)s["feature"]! == feature) == keepFeature);
            Keep(environment["feature_segments"]!.AsArray(), o => ((string)o["feature"]! == feature) == keepFeature);
            Keep(environment["identity_overrides"]!.AsArray(), o => ((string)o["feature_state"]!["feature"]! == feature) == keepFeature);
        }
        return copy;
    }

    private static void Keep(JsonArray array, Func<JsonNode, bool> keep)
    {
        foreach (var item in array.Where(i => !keep(i!)).ToList()) array.Remove(item);
    }
}
