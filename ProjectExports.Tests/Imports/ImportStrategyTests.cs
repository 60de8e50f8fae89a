using System.Text.Json.Nodes;
using Azure.Data.Tables;
using ProjectExports.LocalHost.Demo;
using ProjectExports.Projects;
using ProjectExports.Storage;
using ProjectExports.Tests.Infrastructure;

namespace ProjectExports.Tests.Imports;

/// <summary>
/// SKIP and OVERWRITE_DESTRUCTIVE into a project that already has some of the document's entities. Generated
/// projects share names across seeds (features, segments, tags and environments are named by index), so two seeds
/// of different sizes overlap partly.
/// </summary>
public sealed class ImportStrategyTests(LocalHostFixture host) : IClassFixture<LocalHostFixture>
{
    private static readonly DemoProjectSpec Existing = new(Features: 10, MultivariateShare: 0.5, Segments: 3, Environments: 2,
        SegmentOverridesPerEnvironment: 6, IdentityOverridesPerEnvironment: 15, Tags: 3);

    [Fact]
    public async Task Skip_leaves_segment_overrides_alone_even_where_the_feature_has_no_state()
    {
        var project = await host.CreateEmptyProjectAsync();
        // Production has a segment override of "checkout" but no state of it.
        var first = ImportDocuments.Parse();
        var states = first["environments"]![0]!["feature_states"]!.AsArray();
        states.Remove(states.First(s => (string)s!["feature"]! == "checkout"));
        await host.ImportAndWaitAsync(project, first.ToJsonString(), "SKIP");
        var before = await host.ExportDocumentAsync(project);

        var second = JsonNode.Parse(first.ToJsonString())!.AsObject();
        second["environments"]![0]!["feature_segments"]![0]!["feature_state"]!["feature_state_value"]!["integer_value"] = 99;
        var import = await host.ImportAndWaitAsync(project, second.ToJsonString(), "SKIP");

        Assert.Equal("SUCCESS", import.GetProperty("status").GetString());
        Assert.Equal(0, ImportClient.Summary(import)["feature_segments_created"]);
        Assert.Equal(ImportClient.WithoutExportedAt(before), ImportClient.WithoutExportedAt(await host.ExportDocumentAsync(project)));
    }

    [Fact]
    public async Task Skip_creates_what_is_missing_and_leaves_existing_entities_unchanged()
    {
        var source = await host.SeedProjectAsync(DemoProjectSpec.Small, seed: 11);
        var document = ImportClient.Parse(await host.ExportDocumentAsync(source.Project.Id));
        var target = await host.SeedProjectAsync(Existing, seed: 12);
        var before = ImportClient.Parse(await host.ExportDocumentAsync(target.Project.Id));

        var import = await host.ImportAndWaitAsync(target.Project.Id, document.ToJsonString(), "skip");

        Assert.Equal("SUCCESS", import.GetProperty("status").GetString());
        Assert.Equal("SKIP", import.GetProperty("strategy").GetString());
        var expected = ExpectedSkipSummary(document, target);
        Assert.Equal(expected, Folded(ImportClient.Summary(import), overwrite: false));
        Assert.All(new[] { "features_created", "features_skipped", "environments_created", "environments_skipped", "feature_states_skipped", "identity_overrides_created" },
            key => Assert.True(expected[key] > 0, $"the generated projects overlap in {key}"));

        var after = ImportClient.Parse(await host.ExportDocumentAsync(target.Project.Id));
        // Existing entities are exactly as they were.
        foreach (var section in new[] { "tags", "segments", "features" })
        {
            var key = section == "tags" ? "label" : "name";
            var afterByName = ByName(after[section]!, key);
            foreach (var (name, entity) in ByName(before[section]!, key))
                Assert.Equal(entity.ToJsonString(), afterByName[name].ToJsonString());
            // New ones are as the document has them.
            var existingNames = ByName(before[section]!, key).Keys.ToHashSet();
            foreach (var (name, entity) in ByName(document[section]!, key).Where(p => !existingNames.Contains(p.Key) && !IsArchivedIn(target, section, p.Key)))
                Assert.Equal(entity.ToJsonString(), afterByName[name].ToJsonString());
        }
        var environmentsAfter = ByName(after["environments"]!, "name");
        foreach (var (name, environment) in ByName(before["environments"]!, "name"))
        {
            var now = environmentsAfter[name];
            Assert.Equal(Settings(environment), Settings(now));
            var statesAfter = ByName(now["feature_states"]!, "feature");
            foreach (var (feature, state) in ByName(environment["feature_states"]!, "feature"))
                Assert.Equal(state.ToJsonString(), statesAfter[feature].ToJsonString());
        }
        // New environments hold the document's data; allocations of features that were skipped follow the project's
        // own options of those features, so they are left out of the comparison, and archived features are not exported.
        var skipped = target.Features.Select(f => f.Name).ToHashSet();
        var archived = target.Features.Where(f => f.IsArchived).Select(f => f.Name).ToHashSet();
        var created = ByName(document["environments"]!, "name").Where(p => !ByName(before["environments"]!, "name").ContainsKey(p.Key)).ToList();
        Assert.NotEmpty(created);
        foreach (var (name, environment) in created)
            Assert.Equal(WithoutSkippedAllocations(environment, skipped, archived), WithoutSkippedAllocations(environmentsAfter[name], skipped, archived));
    }

    [Fact]
    public async Task Overwrite_replaces_what_the_document_names_and_nothing_else()
    {
        var source = await host.SeedProjectAsync(DemoProjectSpec.Small, seed: 21);
        var full = ImportClient.Parse(await host.ExportDocumentAsync(source.Project.Id));
        var target = await host.SeedProjectAsync(Existing with { Environments = 4 }, seed: 22);
        var archived = target.Features.Where(f => f.IsArchived).Select(f => f.Name).ToHashSet();
        var document = Subset(full, environment: "Staging",
            features: full["features"]!.AsArray().Select(f => (string)f!["name"]!).Where(n => !archived.Contains(n)).Take(6).ToHashSet(),
            segments: full["segments"]!.AsArray().Select(s => (string)s!["name"]!).Take(2).ToHashSet());
        var before = ImportClient.Parse(await host.ExportDocumentAsync(target.Project.Id));
        var bystandersBefore = await StoredBystandersAsync(target, document);

        var import = await host.ImportAndWaitAsync(target.Project.Id, document.ToJsonString(), "OVERWRITE_DESTRUCTIVE");

        Assert.Equal("SUCCESS", import.GetProperty("status").GetString());
        var expected = ExpectedOverwriteSummary(document, target);
        Assert.Equal(expected, Folded(ImportClient.Summary(import), overwrite: true));
        Assert.All(new[] { "features_created", "features_deleted", "segments_deleted", "feature_states_deleted", "feature_segments_deleted", "identity_overrides_deleted" },
            key => Assert.True(expected[key] > 0, $"the generated projects overlap in {key}"));
        // Bystanders were not touched: other environments' partitions keep their pages and ETags, and the features and
        // segments the document does not name keep their bytes. New rows appear only for the document's new entities.
        var bystandersAfter = await StoredBystandersAsync(target, document);
        var keysBefore = bystandersBefore.Select(r => r[..r.LastIndexOf("/W/", StringComparison.Ordinal)]).ToHashSet();
        Assert.Equal(bystandersBefore, bystandersAfter.Where(r => keysBefore.Contains(r[..r.LastIndexOf("/W/", StringComparison.Ordinal)])));
        Assert.All(bystandersAfter.Where(r => !keysBefore.Contains(r[..r.LastIndexOf("/W/", StringComparison.Ordinal)])),
            r => Assert.StartsWith($"{target.Project.Id}/feature:i", r));

        var after = ImportClient.Parse(await host.ExportDocumentAsync(target.Project.Id));
        var documentFeatures = ByName(document["features"]!, "name");
        foreach (var (name, feature) in documentFeatures)
            Assert.Equal(feature.ToJsonString(), ByName(after["features"]!, "name")[name].ToJsonString());
        foreach (var (name, segment) in ByName(document["segments"]!, "name"))
            Assert.Equal(segment.ToJsonString(), ByName(after["segments"]!, "name")[name].ToJsonString());
        var staging = ByName(after["environments"]!, "name")["Staging"];
        var stagingDocument = document["environments"]![0]!.AsObject();
        Assert.Equal(Settings(stagingDocument), Settings(staging));
        foreach (var section in new[] { "feature_states", "feature_segments", "identity_overrides" })
        {
            string Of(JsonNode item) => (string)(item["feature"] ?? item["feature_state"]!["feature"])!;
            var imported = staging[section]!.AsArray().Where(i => documentFeatures.ContainsKey(Of(i!))).Select(i => i!.ToJsonString());
            Assert.Equal(stagingDocument[section]!.AsArray().Select(i => i!.ToJsonString()).Order(), imported.Order());
            var untouched = ByName(before["environments"]!, "name")["Staging"][section]!.AsArray().Where(i => !documentFeatures.ContainsKey(Of(i!))).Select(i => i!.ToJsonString());
            Assert.Equal(untouched.Order(), staging[section]!.AsArray().Where(i => !documentFeatures.ContainsKey(Of(i!))).Select(i => i!.ToJsonString()).Order());
        }
    }

    /// <summary>A document of one environment, some features and segments, with only the data that refers to them.</summary>
    private static JsonObject Subset(JsonObject full, string environment, HashSet<string> features, HashSet<string> segments)
    {
        bool Keeps(JsonNode? item) => features.Contains((string)(item!["feature"] ?? item["feature_state"]!["feature"])!)
            && (item["segment"] is null || segments.Contains((string)item["segment"]!));
        var env = ByName(full["environments"]!, "name")[environment].DeepClone().AsObject();
        foreach (var section in new[] { "feature_states", "feature_segments", "identity_overrides" })
            env[section] = new JsonArray(env[section]!.AsArray().Where(Keeps).Select(i => i!.DeepClone()).ToArray());
        return new JsonObject
        {
            ["version"] = 1,
            ["tags"] = full["tags"]!.DeepClone(),
            ["segments"] = new JsonArray(full["segments"]!.AsArray().Where(s => segments.Contains((string)s!["name"]!)).Select(s => s!.DeepClone()).ToArray()),
            ["features"] = new JsonArray(full["features"]!.AsArray().Where(f => features.Contains((string)f!["name"]!)).Select(f => f!.DeepClone()).ToArray()),
            ["environments"] = new JsonArray(env),
        };
    }

    /// <summary>
    /// Every stored row the document does not name: other environments' partitions as stored (RowKey and ETag: not
    /// rewritten at all), and the project partition's logical rows (key and a hash of the JSON: the pages holding them
    /// may be rewritten for the document's own rows, the rows themselves may not change).
    /// </summary>
    private async Task<List<string>> StoredBystandersAsync(ProjectSnapshot target, JsonObject document)
    {
        var table = host.Storage.Tables.GetTableClient(StorageNames.ProjectConfigurationTable);
        var features = ByName(document["features"]!, "name").Keys.ToHashSet();
        var segments = ByName(document["segments"]!, "name").Keys.ToHashSet();
        var environments = ByName(document["environments"]!, "name").Keys.ToHashSet();
        var named = target.Features.Where(f => features.Contains(f.Name)).Select(f => "feature:" + f.Id)
            .Concat(target.Segments.Where(s => segments.Contains(s.Name)).Select(s => "segment:" + s.Id))
            .Concat(target.Environments.Where(e => environments.Contains(e.Environment.Name)).Select(e => "environment:" + e.Environment.Id))
            .ToHashSet();
        var rows = new List<string>();
        var projectId = target.Project.Id;
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {projectId}")))
        {
            if (!RowPageCodec.IsPageKey(row.RowKey)) continue;
            RowPageCodec.Decode(row.RowKey, JsonEntityCodec.JsonOf(row), (key, json) =>
            {
                if (!named.Contains(key) && !key.StartsWith("tag:", StringComparison.Ordinal))
                    rows.Add($"{projectId}/{key}/W/{Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(json))}");
            });
        }
        foreach (var env in target.Environments.Where(e => !environments.Contains(e.Environment.Name)))
        {
            foreach (var partition in new[] { $"{projectId}:{env.Environment.Id}", $"{projectId}:{env.Environment.Id}:identities" })
            {
                await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partition}"), select: ["PartitionKey", "RowKey"]))
                    rows.Add($"{row.PartitionKey}/{row.RowKey}/{row.ETag}");
            }
        }
        Assert.NotEmpty(rows);
        return rows;
    }

    private static Dictionary<string, int> ExpectedSkipSummary(JsonObject document, ProjectSnapshot target)
    {
        var summary = EmptySummary();
        void Match(string section, string key, IEnumerable<string> existing, string created, string skipped)
        {
            var names = existing.ToHashSet();
            foreach (var item in document[section]!.AsArray())
                summary[names.Contains((string)item![key]!) ? skipped : created]++;
        }
        Match("tags", "label", target.Tags.Select(t => t.Label), "tags_created", "tags_skipped");
        Match("segments", "name", target.Segments.Select(s => s.Name), "segments_created", "segments_skipped");
        Match("features", "name", target.Features.Select(f => f.Name), "features_created", "features_skipped");
        Match("environments", "name", target.Environments.Select(e => e.Environment.Name), "environments_created", "environments_skipped");
        var featureIds = target.Features.ToDictionary(f => f.Name, f => f.Id);
        foreach (var environment in document["environments"]!.AsArray())
        {
            var existing = target.Environments.SingleOrDefault(e => e.Environment.Name == (string)environment!["name"]!);
            bool HasState(string feature) => existing is not null && featureIds.TryGetValue(feature, out var id) && existing.FeatureStates.Any(s => s.Feature == id);
            foreach (var state in environment!["feature_states"]!.AsArray())
                summary[HasState((string)state!["feature"]!) ? "feature_states_skipped" : "feature_states_created"]++;
            summary["feature_segments_created"] += environment["feature_segments"]!.AsArray().Count(o => !HasState((string)o!["feature"]!));
            foreach (var identityOverride in environment["identity_overrides"]!.AsArray())
            {
                var feature = (string)identityOverride!["feature_state"]!["feature"]!;
                var exists = existing is not null && featureIds.TryGetValue(feature, out var id)
                    && existing.IdentityOverrides.Any(o => o.Identifier == (string)identityOverride["identifier"]! && o.FeatureState.Feature == id);
                summary[exists ? "identity_overrides_skipped" : "identity_overrides_created"]++;
            }
        }
        return summary;
    }

    private static Dictionary<string, int> ExpectedOverwriteSummary(JsonObject document, ProjectSnapshot target)
    {
        var summary = EmptySummary();
        var features = ByName(document["features"]!, "name").Keys.ToHashSet();
        var segments = ByName(document["segments"]!, "name").Keys.ToHashSet();
        summary["tags_updated"] = target.Tags.Count(t => document["tags"]!.AsArray().Any(d => (string)d!["label"]! == t.Label));
        summary["tags_created"] = document["tags"]!.AsArray().Count - summary["tags_updated"];
        summary["segments_created"] = segments.Count;
        summary["segments_deleted"] = target.Segments.Count(s => segments.Contains(s.Name));
        summary["features_created"] = features.Count;
        summary["features_deleted"] = target.Features.Count(f => features.Contains(f.Name));
        summary["environments_updated"] = 1;
        var staging = target.Environments.Single(e => e.Environment.Name == "Staging");
        var stagingDocument = document["environments"]![0]!;
        var namedIds = target.Features.Where(f => features.Contains(f.Name)).Select(f => f.Id).ToHashSet();
        summary["feature_states_created"] = stagingDocument["feature_states"]!.AsArray().Count;
        summary["feature_states_deleted"] = staging.FeatureStates.Count(s => namedIds.Contains(s.Feature));
        summary["feature_segments_created"] = stagingDocument["feature_segments"]!.AsArray().Count;
        summary["feature_segments_deleted"] = staging.FeatureSegments.Count(s => namedIds.Contains(s.Feature));
        summary["identity_overrides_created"] = stagingDocument["identity_overrides"]!.AsArray().Count;
        summary["identity_overrides_deleted"] = staging.IdentityOverrides.Count(o => namedIds.Contains(o.FeatureState.Feature));
        return summary;
    }

    /// <summary>
    /// The summary with entities found equal (<c>*_unchanged</c>, not written) counted as the strategy counts an existing
    /// entity it matches: skipped under SKIP; updated, or deleted and created, under OVERWRITE_DESTRUCTIVE.
    /// </summary>
    private static Dictionary<string, int> Folded(Dictionary<string, int> summary, bool overwrite)
    {
        var folded = summary.Where(p => !p.Key.EndsWith("_unchanged", StringComparison.Ordinal)).ToDictionary(p => p.Key, p => p.Value);
        foreach (var (key, count) in summary.Where(p => p.Key.EndsWith("_unchanged", StringComparison.Ordinal)))
        {
            var type = key[..^"_unchanged".Length];
            // SKIP has no count of skipped segment overrides: equal ones are left alone uncounted, as differing ones are.
            if (!overwrite && type == "feature_segments") continue;
            string[] into = !overwrite ? [type + "_skipped"] : type is "environments" or "tags" ? [type + "_updated"] : [type + "_created", type + "_deleted"];
            foreach (var name in into) folded[name] += count;
        }
        return folded;
    }

    private static Dictionary<string, int> EmptySummary() => new[]
    {
        "environments_created", "environments_updated", "environments_skipped", "tags_created", "tags_updated", "tags_skipped",
        "segments_created", "segments_deleted", "segments_skipped", "features_created", "features_deleted", "features_skipped",
        "feature_states_created", "feature_states_deleted", "feature_states_skipped", "feature_segments_created", "feature_segments_deleted",
        "identity_overrides_created", "identity_overrides_deleted", "identity_overrides_skipped",
    }.ToDictionary(k => k, _ => 0);

    private static string WithoutSkippedAllocations(JsonObject environment, HashSet<string> skipped, HashSet<string> archived)
    {
        var copy = environment.DeepClone().AsObject();
        foreach (var section in new[] { "feature_states", "feature_segments", "identity_overrides" })
        {
            var items = copy[section]!.AsArray();
            foreach (var item in items.ToList())
            {
                var state = (item!["feature_state"] ?? item).AsObject();
                if (archived.Contains((string)state["feature"]!)) items.Remove(item);
                else if (skipped.Contains((string)state["feature"]!)) state.Remove("multivariate_feature_state_values");
            }
        }
        return copy.ToJsonString();
    }

    private static bool IsArchivedIn(ProjectSnapshot target, string section, string name) =>
        section == "features" && target.Features.Any(f => f.Name == name && f.IsArchived);

    private static Dictionary<string, JsonObject> ByName(JsonNode array, string key) =>
        array.AsArray().ToDictionary(item => (string)item![key]!, item => item!.AsObject());

    private static string Settings(JsonObject environment) =>
        new JsonObject(environment.Where(p => p.Key is not ("feature_states" or "feature_segments" or "identity_overrides"))
            .Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone()))).ToJsonString();
}
