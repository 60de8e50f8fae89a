using System.Globalization;
using ProjectExports.Imports.Review;
using ProjectExports.Projects;
using static ProjectExports.Imports.ImportIssueCodes;

namespace ProjectExports.Imports;

/// <summary>The planner's per-environment part: feature states, segment overrides and identity overrides.</summary>
public sealed partial class ImportPlanner
{
    /// <summary>
    /// A feature's data in one environment (its state and segment overrides), for the features the environment's
    /// document mentions. Each state and override is compared with the project's: equal ones are left alone; under
    /// SKIP a feature that has any data here keeps it all; under OVERWRITE_DESTRUCTIVE the rest is written, segment
    /// overrides matched by segment (kept ids, so an update is in place) and those the document no longer has deleted.
    /// </summary>
    private void PlanFeatureData(ImportDocumentEnvironment doc, string environmentName, string path, EnvironmentChanges changes, EnvironmentStates? existing)
    {
        var docStates = Indexed(doc.FeatureStates, path + "/feature_states").ToDictionary(s => s.Item.Feature, StringComparer.Ordinal);
        var docOverrides = Indexed(doc.FeatureSegments, path + "/feature_segments").ToLookup(s => s.Item.Feature, StringComparer.Ordinal);
        var existingStates = existing?.FeatureStates.ToDictionary(s => s.Feature, StringComparer.Ordinal) ?? [];
        var existingOverrides = (existing?.FeatureSegments ?? []).OrderBy(o => o.Priority).ThenBy(o => o.Id, StringComparer.Ordinal).ToLookup(o => o.Feature, StringComparer.Ordinal);
        var usedIds = (existing?.FeatureSegments ?? []).Select(o => o.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var featureName in docStates.Keys.Concat(docOverrides.Select(g => g.Key)).Distinct(StringComparer.Ordinal))
        {
            var featureId = _featureIds[featureName];
            var existingState = existingStates.GetValueOrDefault(featureId);
            // SKIP leaves a feature's data in this environment alone if any exists: a state, or segment overrides
            // alone (which a repeat import would otherwise write over, or duplicate beside ones made elsewhere).
            var keep = !_overwrite && (existingState is not null || existingOverrides[featureId].Any());
            if (docStates.TryGetValue(featureName, out var docState))
            {
                PlanState(docState.Item, docState.Path, environmentName, changes, existingState, keep);
            }
            PlanSegmentOverrides([.. docOverrides[featureName]], featureName, environmentName, changes, [.. existingOverrides[featureId]], usedIds, keep);
        }
    }

    private void PlanState(FeatureState docState, string path, string environmentName, EnvironmentChanges changes, FeatureState? existingState, bool keep)
    {
        var featureName = docState.Feature;
        var entity = new ProjectEntityRef("feature_state", featureName, environmentName);
        var state = ReadState(docState, path, changes.EnvironmentId, existingState?.Id ?? _ids.New("state", $"{environmentName}\n{featureName}"), existingState);
        var action = existingState is null && !keep ? ImportPlanAction.Create
            : existingState is null ? Skipped(entity)
            : _review.Compare(entity, existingState, state, !keep);
        switch (action)
        {
            case ImportPlanAction.Unchanged:
                Summary.FeatureStatesUnchanged++;
                return;
            case ImportPlanAction.Skip:
                Summary.FeatureStatesSkipped++;
                return;
            case ImportPlanAction.Create:
                _review.Add(entity, ImportPlanAction.Create);
                break;
            default:
                Summary.FeatureStatesDeleted++;
                break;
        }
        changes.FeatureStates.Add(state);
        Summary.FeatureStatesCreated++;
    }

    private void PlanSegmentOverrides(
        List<(FeatureSegment Item, string Path)> items, string featureName, string environmentName, EnvironmentChanges changes,
        List<FeatureSegment> existing, HashSet<string> usedIds, bool keep)
    {
        var featureId = _featureIds[featureName];
        var unmatched = new List<FeatureSegment>(existing);
        var prefix = _ids.New("segment-override", $"{environmentName}\n{featureName}");
        var k = 0;
        foreach (var (segmentOverride, itemPath) in items)
        {
            var segmentName = segmentOverride.Segment;
            var entity = new ProjectEntityRef("segment_override", featureName, environmentName, segmentName);
            var segmentId = _segmentIds[segmentName];
            var match = unmatched.FirstOrDefault(o => o.Segment == segmentId);
            if (match is not null) unmatched.Remove(match);
            // A new override's id is derived from its place in the document, passing over ids the environment already uses.
            var id = match?.Id ?? NextId(prefix, ref k, usedIds);
            (segmentOverride.Id, segmentOverride.Environment, segmentOverride.Feature, segmentOverride.Segment) = (id, changes.EnvironmentId, featureId, segmentId);
            segmentOverride.FeatureState = ReadState(segmentOverride.FeatureState, itemPath + "/feature_state", changes.EnvironmentId, id + "-state", match?.FeatureState);
            var action = match is null ? (keep ? Skipped(entity) : ImportPlanAction.Create) : _review.Compare(entity, match, segmentOverride, !keep);
            switch (action)
            {
                case ImportPlanAction.Unchanged:
                    Summary.FeatureSegmentsUnchanged++;
                    continue;
                case ImportPlanAction.Skip:
                    continue;
                case ImportPlanAction.Create:
                    _review.Add(entity, ImportPlanAction.Create);
                    break;
                default:
                    Summary.FeatureSegmentsDeleted++;
                    break;
            }
            changes.FeatureSegments.Add(segmentOverride);
            Summary.FeatureSegmentsCreated++;
        }
        if (keep) return;
        foreach (var old in unmatched)
        {
            changes.DeletedFeatureSegments.Add(old.Id);
            Summary.FeatureSegmentsDeleted++;
            _review.Add(new ProjectEntityRef("segment_override", featureName, environmentName, _segmentNames.GetValueOrDefault(old.Segment, old.Segment)), ImportPlanAction.Delete);
        }
    }

    private static string NextId(string prefix, ref int k, HashSet<string> usedIds)
    {
        string id;
        do id = $"{prefix}-{k++:D5}";
        while (!usedIds.Add(id));
        return id;
    }

    private string Skipped(ProjectEntityRef entity)
    {
        _review.Add(entity, ImportPlanAction.Skip);
        return ImportPlanAction.Skip;
    }

    private void PlanIdentityOverrides(List<IdentityOverride> items, string environmentName, string path, EnvironmentChanges changes, IReadOnlyList<IdentityOverride> existing)
    {
        var existingByKey = existing.ToDictionary(o => (o.Identifier, o.FeatureState.Feature));
        var imported = new HashSet<(string, string)>();
        foreach (var (identityOverride, itemPath) in Indexed(items, path + "/identity_overrides"))
        {
            var identifier = identityOverride.Identifier;
            var featureName = identityOverride.FeatureState.Feature;
            var entity = new ProjectEntityRef("identity_override", featureName, environmentName, Identifier: identifier);
            var key = (identifier, _featureIds[featureName]);
            imported.Add(key);
            var old = existingByKey.GetValueOrDefault(key);
            identityOverride.Environment = changes.EnvironmentId;
            identityOverride.FeatureState = ReadState(identityOverride.FeatureState, itemPath + "/feature_state", changes.EnvironmentId,
                old?.FeatureState.Id ?? _ids.New("identity-override", $"{environmentName}\n{identifier}\n{featureName}"), old?.FeatureState);
            switch (old is null ? ImportPlanAction.Create : _review.Compare(entity, old, identityOverride, _overwrite))
            {
                case ImportPlanAction.Unchanged:
                    Summary.IdentityOverridesUnchanged++;
                    continue;
                case ImportPlanAction.Skip:
                    Summary.IdentityOverridesSkipped++;
                    continue;
                case ImportPlanAction.Create:
                    _review.Add(entity, ImportPlanAction.Create);
                    break;
                default:
                    Summary.IdentityOverridesDeleted++;
                    break;
            }
            changes.IdentityOverrides.Add(identityOverride);
            Summary.IdentityOverridesCreated++;
        }
        if (!_overwrite) return;
        // The document lists this environment's identity overrides of its features in full: others of those features go.
        foreach (var old in existing.Where(o => _documentFeatureIds.Contains(o.FeatureState.Feature) && !imported.Contains((o.Identifier, o.FeatureState.Feature))))
        {
            changes.DeletedIdentityOverrides.Add(new IdentityOverrideKey(old.Identifier, old.FeatureState.Feature));
            Summary.IdentityOverridesDeleted++;
            _review.Add(new ProjectEntityRef("identity_override", _featureNames[old.FeatureState.Feature], environmentName, Identifier: old.Identifier), ImportPlanAction.Delete);
        }
    }

    /// <summary>Resolves a document state's references (feature name, option indexes) and gives it its ids, keeping what the document cannot carry of <paramref name="existing"/>.</summary>
    private FeatureState ReadState(FeatureState state, string path, string environmentId, string id, FeatureState? existing)
    {
        var featureName = state.Feature;
        var options = _optionIds[featureName];
        var allocations = state.MultivariateFeatureStateValues;
        var resolved = new List<MultivariateFeatureStateValue>(allocations.Count);
        for (var i = 0; i < allocations.Count; i++)
        {
            var index = long.Parse(allocations[i].MultivariateFeatureOption, CultureInfo.InvariantCulture); // validated: an index from 0
            if (index >= options.Count)
            {
                // Only possible for a feature that exists and is skipped: its own options are kept.
                Warn(AllocationDropped, $"Feature '{featureName}' has {options.Count} options in this project; the allocation to option {index} is left out.", $"{path}/multivariate_feature_state_values/{i}");
                continue;
            }
            allocations[i].MultivariateFeatureOption = options[(int)index];
            resolved.Add(allocations[i]);
        }
        if (existing is not null) ImportContract.KeepExcluded(state, existing);
        (state.Id, state.Feature, state.Environment, state.UpdatedAt, state.MultivariateFeatureStateValues) = (id, _featureIds[featureName], environmentId, _now, resolved);
        if (existing is null) state.CreatedAt = _now;
        for (var i = 0; i < resolved.Count; i++)
        {
            resolved[i].Id = $"{id}-v{i}";
        }
        return state;
    }
}
