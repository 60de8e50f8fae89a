using System.Security.Cryptography;
using System.Text.Json.Nodes;
using ProjectExports.Projects;
using static ProjectExports.Imports.ImportIssueCodes;

namespace ProjectExports.Imports;

/// <summary>
/// Computes an import's writes from a valid document and the project's current state; pure, so the validate
/// endpoint shows exactly what the import will do. Matching is by name (tags by label). SKIP creates only what is
/// missing; OVERWRITE_DESTRUCTIVE replaces what matches, keeping its id so other environments' references stay
/// valid, and replaces a feature's data (state, segment overrides, identity overrides) only in the document's
/// environments. Nothing the document does not name is written. Every tag, segment, feature and environment gets
/// one warning saying what happens to it (will_create, will_skip or will_overwrite), so the warnings and the
/// summary tell the same story: a replaced segment or feature counts as deleted and created in the summary.
/// </summary>
public sealed partial class ImportPlanner
{
    private static ProjectJsonContext Json => ProjectJsonContext.Default;

    private readonly JsonObject _document;
    private readonly ImportTarget _target;
    private readonly bool _overwrite;
    private readonly string _projectId;
    private readonly DateTimeOffset _now;
    private readonly ImportIdFactory _ids;
    private readonly ImportPlan _plan = new();
    private readonly Dictionary<string, string> _tagIds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _segmentIds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _featureIds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _optionIds = new(StringComparer.Ordinal);

    private ImportPlanner(JsonObject document, ImportTarget target, ImportStrategy strategy, DateTimeOffset now)
    {
        _document = document;
        _target = target;
        _overwrite = strategy == ImportStrategy.OverwriteDestructive;
        _projectId = target.Definitions.Project.Id;
        _now = now;
        _ids = new ImportIdFactory(_projectId);
        _plan.Changes.ProjectId = _projectId;
    }

    private ImportSummary Summary => _plan.Summary;

    /// <param name="document">A document that passed <see cref="ImportValidator"/>.</param>
    public static ImportPlan Plan(JsonObject document, ImportTarget target, ImportStrategy strategy, DateTimeOffset now)
    {
        var planner = new ImportPlanner(document, target, strategy, now);
        planner.PlanTags();
        planner.PlanSegments();
        planner.PlanFeatures();
        planner.PlanEnvironments();
        return planner._plan;
    }

    /// <summary>The names of the environments the document names, for reading only their data.</summary>
    public static IEnumerable<string> EnvironmentNames(JsonObject document) => Items(document, "environments").Select(e => (string)e["name"]!);

    /// <summary>Whether the document carries identity overrides for the environment named <paramref name="name"/>.</summary>
    public static bool HasIdentityOverrides(JsonObject document, string name) =>
        Items(document, "environments").Any(e => (string)e["name"]! == name && e.ContainsKey("identity_overrides"));

    private void PlanTags()
    {
        var existing = Index(_target.Definitions.Tags, t => t.Label);
        foreach (var (doc, path) in Indexed(Items(_document, "tags"), "/tags"))
        {
            var label = (string)doc["label"]!;
            if (existing.TryGetValue(label, out var tag) && !_overwrite)
            {
                _tagIds[label] = tag.Id;
                Summary.TagsSkipped++;
                Warn(WillSkip, $"Tag '{label}' exists and is left as it is.", path);
                continue;
            }
            var imported = ImportEntities.Read(doc, Json.Tag, tag);
            if (tag is null)
            {
                (imported.Id, imported.Uuid, imported.Project) = (_ids.New("tag", label), _ids.Uuid("tag", label), _projectId);
                Summary.TagsCreated++;
                Warn(WillCreate, $"Tag '{label}' does not exist and will be created.", path);
            }
            else
            {
                Summary.TagsUpdated++;
                Warn(WillOverwrite, $"Tag '{label}' exists and will be overwritten.", path);
            }
            _tagIds[label] = imported.Id;
            _plan.Changes.Tags.Add(imported);
        }
    }

    private void PlanSegments()
    {
        var existing = Index(_target.Definitions.Segments, s => s.Name);
        foreach (var (doc, path) in Indexed(Items(_document, "segments"), "/segments"))
        {
            var name = (string)doc["name"]!;
            if (existing.TryGetValue(name, out var segment) && !_overwrite)
            {
                _segmentIds[name] = segment.Id;
                Summary.SegmentsSkipped++;
                Warn(WillSkip, $"Segment '{name}' exists and is left as it is.", path);
                continue;
            }
            var imported = ImportEntities.Read(doc, Json.Segment, segment);
            if (segment is null)
            {
                (imported.Id, imported.Uuid, imported.Project, imported.CreatedAt) = (_ids.New("segment", name), _ids.Uuid("segment", name), _projectId, _now);
                Warn(WillCreate, $"Segment '{name}' does not exist and will be created.", path);
            }
            else
            {
                Summary.SegmentsDeleted++;
                Warn(WillOverwrite, $"Segment '{name}' exists and will be overwritten.", path);
            }
            imported.UpdatedAt = _now;
            Summary.SegmentsCreated++;
            _segmentIds[name] = imported.Id;
            _plan.Changes.Segments.Add(imported);
        }
    }

    private void PlanFeatures()
    {
        var existing = Index(_target.Definitions.Features, f => f.Name);
        foreach (var (doc, path) in Indexed(Items(_document, "features"), "/features"))
        {
            var name = (string)doc["name"]!;
            if (existing.TryGetValue(name, out var feature) && !_overwrite)
            {
                _featureIds[name] = feature.Id;
                _optionIds[name] = feature.MultivariateOptions.Select(o => o.Id).ToList();
                Summary.FeaturesSkipped++;
                Warn(WillSkip, $"Feature '{name}' exists and is left as it is, with its states in every environment.", path);
                continue;
            }
            var imported = ImportEntities.Read(doc, Json.Feature, feature, ResolveTags);
            if (feature is null)
            {
                (imported.Id, imported.Uuid, imported.Project, imported.CreatedDate) = (_ids.New("feature", name), _ids.Uuid("feature", name), _projectId, _now);
                Warn(WillCreate, $"Feature '{name}' does not exist and will be created.", path);
            }
            else
            {
                Summary.FeaturesDeleted++;
                Warn(WillOverwrite, $"Feature '{name}' exists and will be overwritten, with its data in the document's environments.", path);
            }
            // Options keep their ids by position, so allocations in environments the document leaves alone stay valid.
            for (var i = 0; i < imported.MultivariateOptions.Count; i++)
            {
                imported.MultivariateOptions[i].Id = feature?.MultivariateOptions.ElementAtOrDefault(i)?.Id ?? _ids.New("option", $"{name}\n{i}");
            }
            Summary.FeaturesCreated++;
            _featureIds[name] = imported.Id;
            _optionIds[name] = imported.MultivariateOptions.Select(o => o.Id).ToList();
            _plan.Changes.Features.Add(imported);
        }
    }

    private void ResolveTags(JsonObject feature)
    {
        if (feature["tags"] is JsonArray labels)
            feature["tags"] = new JsonArray(labels.Select(label => (JsonNode?)_tagIds[(string)label!]).ToArray());
    }

    private void PlanEnvironments()
    {
        var existing = Index(_target.Definitions.Environments, e => e.Name);
        foreach (var (doc, path) in Indexed(Items(_document, "environments"), "/environments"))
        {
            var name = (string)doc["name"]!;
            existing.TryGetValue(name, out var environment);
            var changes = new EnvironmentChanges();
            if (environment is null)
            {
                var created = ImportEntities.Read(doc, Json.ProjectEnvironment, null);
                (created.Id, created.Uuid, created.Project, created.CreatedDate, created.UpdatedAt) = (_ids.New("environment", name), _ids.Uuid("environment", name), _projectId, _now, _now);
                created.ApiKey = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
                changes.Settings = created;
                Summary.EnvironmentsCreated++;
                Warn(WillCreate, $"Environment '{name}' does not exist and will be created.", path);
            }
            else if (_overwrite)
            {
                changes.Settings = ImportEntities.Read(doc, Json.ProjectEnvironment, environment);
                changes.Settings.UpdatedAt = _now;
                Summary.EnvironmentsUpdated++;
                Warn(WillOverwrite, $"Environment '{name}' exists; its settings and the document's features' data in it will be overwritten.", path);
            }
            else
            {
                Summary.EnvironmentsSkipped++;
                Warn(WillSkip, $"Environment '{name}' exists; its settings are left as they are, and only missing feature data is added.", path);
            }
            changes.EnvironmentId = changes.Settings?.Id ?? environment!.Id;
            var states = environment is null ? null : _target.States.GetValueOrDefault(environment.Id);
            PlanFeatureData(doc, name, path, changes, states);
            if (doc.ContainsKey("identity_overrides"))
            {
                PlanIdentityOverrides(doc, name, path, changes, environment is null ? [] : _target.IdentityOverrides.GetValueOrDefault(environment.Id) ?? []);
            }
            _plan.Changes.Environments.Add(changes);
        }
    }

    private void Warn(string code, string message, string path) => _plan.Warnings.Add(new ImportIssue(code, message, path));

    private static Dictionary<string, T> Index<T>(IEnumerable<T> items, Func<T, string> name)
    {
        var index = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var item in items) index.TryAdd(name(item), item);
        return index;
    }

    private static IEnumerable<JsonObject> Items(JsonObject parent, string name) =>
        parent[name] is JsonArray array ? array.Select(item => item!.AsObject()) : [];

    private static IEnumerable<(JsonObject Item, string Path)> Indexed(IEnumerable<JsonObject> items, string path) =>
        items.Select((item, i) => (item, $"{path}/{i}"));
}
