using System.Security.Cryptography;
using ProjectExports.Imports.Review;
using ProjectExports.Projects;
using static ProjectExports.Imports.ImportIssueCodes;

namespace ProjectExports.Imports;

/// <summary>
/// Computes an import's writes from a valid document and the project's current state; pure, so the validate
/// endpoint shows exactly what the import will do. Matching is by name (tags by label). SKIP creates only what is
/// missing; OVERWRITE_DESTRUCTIVE replaces what matches, keeping its id so other environments' references stay
/// valid, and replaces a feature's data (state, segment overrides, identity overrides) only in the document's
/// environments. Nothing the document does not name is written, and nothing it names that the project already holds
/// as the document has it (unchanged, compared by <see cref="ImportPlanReviewer"/>, which also records the reviewed
/// plan's entries). Every tag, segment, feature and environment gets one warning saying what happens to it
/// (will_create, will_skip — also for an unchanged one — or will_overwrite), so the warnings and the summary tell the
/// same story: a replaced segment or feature counts as deleted and created in the summary.
/// </summary>
public sealed partial class ImportPlanner
{
    private readonly ImportDocument _document;
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
    private readonly HashSet<string> _documentFeatureIds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _featureNames;
    private readonly Dictionary<string, string> _segmentNames;
    private readonly ImportPlanReviewer _review;
    private readonly Action<EnvironmentChanges, ImportDocumentEnvironment> _environmentPlanned;

    private ImportPlanner(
        ImportDocument document, ImportTarget target, ImportStrategy strategy, DateTimeOffset now, ImportReviewWriter review, Action<EnvironmentChanges, ImportDocumentEnvironment> environmentPlanned)
    {
        _review = new ImportPlanReviewer(review);
        _environmentPlanned = environmentPlanned;
        _document = document;
        _target = target;
        _overwrite = strategy == ImportStrategy.OverwriteDestructive;
        _projectId = target.Definitions.Project.Id;
        _now = now;
        _ids = new ImportIdFactory(_projectId);
        _plan.Changes.ProjectId = _projectId;
        // Names of the project's own entities, for the review's entries about rows the import deletes.
        _featureNames = target.Definitions.Features.DistinctBy(f => f.Id).ToDictionary(f => f.Id, f => f.Name, StringComparer.Ordinal);
        _segmentNames = target.Definitions.Segments.DistinctBy(s => s.Id).ToDictionary(s => s.Id, s => s.Name, StringComparer.Ordinal);
    }

    private ImportSummary Summary => _plan.Summary;

    /// <param name="document">A document that passed <see cref="ImportDocumentReader"/>; its entities become the plan's (the planner resolves their references in place).</param>
    /// <param name="environmentPlanned">
    /// Given each environment's changes as soon as they are planned, to store their data's rows, with the document's
    /// environment they were planned from (its sections still read): the data is then let go, in the plan and (when
    /// the document keeps it stored, <see cref="ImportDocumentEnvironment.ReadSections"/>) in the document, so a large
    /// document's environments are never all held. The plan's <see cref="ImportPlan.Changes"/> keep each
    /// environment's id and settings.
    /// </param>
    /// <param name="review">Where the review's entries go, one per entity, as they are decided.</param>
    /// <param name="target">The project's definitions; each matched environment's data is read as its turn comes.</param>
    public static async Task<ImportPlan> PlanAsync(
        ImportDocument document, ImportTarget target, ImportStrategy strategy, DateTimeOffset now, ImportReviewWriter review, Action<EnvironmentChanges, ImportDocumentEnvironment> environmentPlanned,
        CancellationToken cancellationToken)
    {
        var planner = new ImportPlanner(document, target, strategy, now, review, environmentPlanned);
        planner.Resolve();
        planner.PlanTags();
        planner.PlanSegments();
        planner.Resolve();
        planner.PlanFeatures();
        planner.Resolve();
        await planner.PlanEnvironmentsAsync(cancellationToken).ConfigureAwait(false);
        return planner._plan;
    }

    private void PlanTags()
    {
        var existing = Index(_target.Definitions.Tags, t => t.Label);
        foreach (var (imported, path) in Indexed(_document.Tags ?? [], "/tags"))
        {
            var label = imported.Label;
            var entity = new ProjectEntityRef("tag", label);
            if (!existing.TryGetValue(label, out var tag))
            {
                (imported.Id, imported.Uuid, imported.Project) = (_ids.New("tag", label), _ids.Uuid("tag", label), _projectId);
                Summary.TagsCreated++;
                Created(entity, $"Tag '{label}' does not exist and will be created.", path);
                _tagIds[label] = imported.Id;
                _plan.Changes.Tags.Add(imported);
                continue;
            }
            _tagIds[label] = tag.Id;
            ImportContract.KeepExcluded(imported, tag);
            switch (_review.Compare(entity, tag, imported, _overwrite))
            {
                case ImportPlanAction.Unchanged:
                    Summary.TagsUnchanged++;
                    Warn(WillSkip, $"Tag '{label}' exists as the document has it and is left as it is.", path);
                    break;
                case ImportPlanAction.Skip:
                    Summary.TagsSkipped++;
                    Warn(WillSkip, $"Tag '{label}' exists and is left as it is.", path);
                    break;
                default:
                    Summary.TagsUpdated++;
                    Warn(WillOverwrite, $"Tag '{label}' exists and will be overwritten.", path);
                    _plan.Changes.Tags.Add(imported);
                    break;
            }
        }
    }

    private void PlanSegments()
    {
        var existing = Index(_target.Definitions.Segments, s => s.Name);
        foreach (var (imported, path) in Indexed(_document.Segments, "/segments"))
        {
            var name = imported.Name;
            var entity = new ProjectEntityRef("segment", name);
            imported.UpdatedAt = _now;
            if (!existing.TryGetValue(name, out var segment))
            {
                (imported.Id, imported.Uuid, imported.Project, imported.CreatedAt) = (_ids.New("segment", name), _ids.Uuid("segment", name), _projectId, _now);
                Summary.SegmentsCreated++;
                Created(entity, $"Segment '{name}' does not exist and will be created.", path);
                _segmentIds[name] = imported.Id;
                _plan.Changes.Segments.Add(imported);
                continue;
            }
            _segmentIds[name] = segment.Id;
            ImportContract.KeepExcluded(imported, segment);
            imported.UpdatedAt = _now;
            switch (_review.Compare(entity, segment, imported, _overwrite))
            {
                case ImportPlanAction.Unchanged:
                    Summary.SegmentsUnchanged++;
                    Warn(WillSkip, $"Segment '{name}' exists as the document has it and is left as it is.", path);
                    break;
                case ImportPlanAction.Skip:
                    Summary.SegmentsSkipped++;
                    Warn(WillSkip, $"Segment '{name}' exists and is left as it is.", path);
                    break;
                default:
                    Summary.SegmentsDeleted++;
                    Summary.SegmentsCreated++;
                    Warn(WillOverwrite, $"Segment '{name}' exists and will be overwritten.", path);
                    _plan.Changes.Segments.Add(imported);
                    break;
            }
        }
    }

    private void PlanFeatures()
    {
        var existing = Index(_target.Definitions.Features, f => f.Name);
        foreach (var (imported, path) in Indexed(_document.Features, "/features"))
        {
            var name = imported.Name;
            var entity = new ProjectEntityRef("feature", name);
            existing.TryGetValue(name, out var feature);
            // Without a tags section the document says nothing of tags: an existing feature keeps its own.
            imported.Tags = _document.Tags is null && feature is not null ? feature.Tags : imported.Tags.Select(label => _tagIds[label]).ToList();
            if (feature is null)
            {
                (imported.Id, imported.Uuid, imported.Project, imported.CreatedDate) = (_ids.New("feature", name), _ids.Uuid("feature", name), _projectId, _now);
            }
            else
            {
                ImportContract.KeepExcluded(imported, feature);
            }
            // Options keep their ids by position, so allocations in environments the document leaves alone stay valid.
            for (var i = 0; i < imported.MultivariateOptions.Count; i++)
            {
                imported.MultivariateOptions[i].Id = feature?.MultivariateOptions.ElementAtOrDefault(i)?.Id ?? _ids.New("option", $"{name}\n{i}");
            }
            var action = feature is null ? ImportPlanAction.Create : _review.Compare(entity, feature, imported, _overwrite);
            var kept = action is ImportPlanAction.Skip ? feature! : imported;
            _featureIds[name] = kept.Id;
            _optionIds[name] = kept.MultivariateOptions.Select(o => o.Id).ToList();
            if (_overwrite) _documentFeatureIds.Add(kept.Id);
            switch (action)
            {
                case ImportPlanAction.Create:
                    Summary.FeaturesCreated++;
                    Created(entity, $"Feature '{name}' does not exist and will be created.", path);
                    _plan.Changes.Features.Add(imported);
                    break;
                case ImportPlanAction.Unchanged:
                    Summary.FeaturesUnchanged++;
                    Warn(WillSkip, $"Feature '{name}' exists as the document has it and is left as it is; its data in the document's environments is compared one by one.", path);
                    break;
                case ImportPlanAction.Skip:
                    Summary.FeaturesSkipped++;
                    Warn(WillSkip, $"Feature '{name}' exists and is left as it is, with its states in every environment.", path);
                    break;
                default:
                    Summary.FeaturesDeleted++;
                    Summary.FeaturesCreated++;
                    Warn(WillOverwrite, $"Feature '{name}' exists and will be overwritten, with its data in the document's environments.", path);
                    _plan.Changes.Features.Add(imported);
                    break;
            }
        }
    }

    private async Task PlanEnvironmentsAsync(CancellationToken cancellationToken)
    {
        var existing = Index(_target.Definitions.Environments, e => e.Name);
        foreach (var (doc, path) in Indexed(_document.Environments, "/environments"))
        {
            var name = doc.Settings.Name;
            var entity = new ProjectEntityRef("environment", name);
            existing.TryGetValue(name, out var environment);
            var changes = new EnvironmentChanges();
            if (environment is null)
            {
                var created = doc.Settings;
                (created.Id, created.Uuid, created.Project, created.CreatedDate, created.UpdatedAt) = (_ids.New("environment", name), _ids.Uuid("environment", name), _projectId, _now, _now);
                created.ApiKey = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
                changes.Settings = created;
                Summary.EnvironmentsCreated++;
                Created(entity, $"Environment '{name}' does not exist and will be created.", path);
            }
            else
            {
                ImportContract.KeepExcluded(doc.Settings, environment);
                switch (_review.Compare(entity, environment, doc.Settings, _overwrite))
                {
                    case ImportPlanAction.Unchanged:
                        Summary.EnvironmentsUnchanged++;
                        Warn(WillSkip, $"Environment '{name}' has the document's settings, which are left as they are; its feature data is compared one by one.", path);
                        break;
                    case ImportPlanAction.Skip:
                        Summary.EnvironmentsSkipped++;
                        Warn(WillSkip, $"Environment '{name}' exists; its settings are left as they are, and only missing feature data is added.", path);
                        break;
                    default:
                        changes.Settings = doc.Settings;
                        changes.Settings.UpdatedAt = _now;
                        Summary.EnvironmentsUpdated++;
                        Warn(WillOverwrite, $"Environment '{name}' exists; its settings and the document's features' data in it will be overwritten.", path);
                        break;
                }
            }
            changes.EnvironmentId = environment?.Id ?? changes.Settings!.Id;
            var held = environment is null ? null : await _target.ReadAsync(environment, cancellationToken).ConfigureAwait(false);
            using (doc.ReadSections())
            {
                PlanFeatureData(doc, name, path, changes, held?.States);
                if (doc.IdentityOverrides is not null)
                {
                    PlanIdentityOverrides(doc.IdentityOverrides, name, path, changes, held?.IdentityOverrides ?? []);
                }
                _environmentPlanned(changes, doc);
            }
            changes.ReleaseData();
            _plan.Changes.Environments.Add(changes);
        }
    }

    /// <summary>Lets the review name what the plan has so far (new tags and segments, then new features) beside the project's own.</summary>
    private void Resolve() => _review.Resolve(_target.Definitions, _plan.Changes);

    private void Warn(string code, string message, string path) => _plan.Warnings.Add(new ImportIssue(code, message, path));

    private void Created(ProjectEntityRef entity, string message, string path)
    {
        _review.Add(entity, ImportPlanAction.Create);
        Warn(WillCreate, message, path);
    }

    private static Dictionary<string, T> Index<T>(IEnumerable<T> items, Func<T, string> name)
    {
        var index = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var item in items) index.TryAdd(name(item), item);
        return index;
    }

    private static IEnumerable<(T Item, string Path)> Indexed<T>(IEnumerable<T> items, string path) =>
        items.Select((item, i) => (item, $"{path}/{i}"));
}
