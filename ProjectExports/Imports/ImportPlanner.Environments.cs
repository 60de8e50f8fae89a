using System.Globalization;
using ProjectExports.Projects;
using static ProjectExports.Imports.ImportIssueCodes;

namespace ProjectExports.Imports;

/// <summary>The planner's per-environment part: feature states, segment overrides and identity overrides.</summary>
public sealed partial class ImportPlanner
{
    /// <summary>
    /// A feature's data in one environment (its state and segment overrides) is replaced or created as a whole, for
    /// the features the environment's document mentions.
    /// </summary>
    private void PlanFeatureData(ImportDocumentEnvironment doc, string environmentName, string path, EnvironmentChanges changes, EnvironmentStates? existing)
    {
        var docStates = Indexed(doc.FeatureStates, path + "/feature_states").ToDictionary(s => s.Item.Feature, StringComparer.Ordinal);
        var docOverrides = Indexed(doc.FeatureSegments, path + "/feature_segments").ToLookup(s => s.Item.Feature, StringComparer.Ordinal);
        var existingStates = existing?.FeatureStates.ToDictionary(s => s.Feature, StringComparer.Ordinal) ?? [];
        var existingOverrides = existing?.FeatureSegments.ToLookup(s => s.Feature, StringComparer.Ordinal);
        foreach (var featureName in docStates.Keys.Concat(docOverrides.Select(g => g.Key)).Distinct(StringComparer.Ordinal))
        {
            var featureId = _featureIds[featureName];
            var existingState = existingStates.GetValueOrDefault(featureId);
            var hasState = docStates.TryGetValue(featureName, out var docState);
            // SKIP leaves a feature's data in this environment alone if any exists: a state, or segment overrides
            // alone (which a repeat import would otherwise write over, or duplicate beside ones made elsewhere).
            if (!_overwrite && (existingState is not null || existingOverrides?[featureId].Any() == true))
            {
                if (hasState) Summary.FeatureStatesSkipped++;
                continue;
            }
            // Ids sort in document order within the feature, which is how the export breaks priority ties.
            var prefix = _ids.New("segment-override", $"{environmentName}\n{featureName}");
            var ids = docOverrides[featureName].Select((_, k) => $"{prefix}-{k:D5}").ToList();
            if (existingOverrides is not null && _overwrite)
            {
                foreach (var old in existingOverrides[featureId])
                {
                    // Rows this import writes again are replaced in place; the others go.
                    if (!ids.Contains(old.Id)) changes.DeletedFeatureSegments.Add(old.Id);
                    Summary.FeatureSegmentsDeleted++;
                }
            }
            if (hasState)
            {
                var state = ReadState(docState.Item, docState.Path, changes.EnvironmentId, existingState?.Id ?? _ids.New("state", $"{environmentName}\n{featureName}"), existingState);
                changes.FeatureStates.Add(state);
                Summary.FeatureStatesCreated++;
                if (existingState is not null) Summary.FeatureStatesDeleted++;
            }
            var k = 0;
            foreach (var (segmentOverride, itemPath) in docOverrides[featureName])
            {
                var id = ids[k++];
                (segmentOverride.Id, segmentOverride.Environment) = (id, changes.EnvironmentId);
                (segmentOverride.Feature, segmentOverride.Segment) = (featureId, _segmentIds[segmentOverride.Segment]);
                segmentOverride.FeatureState = ReadState(segmentOverride.FeatureState, itemPath + "/feature_state", changes.EnvironmentId, id + "-state", null);
                changes.FeatureSegments.Add(segmentOverride);
                Summary.FeatureSegmentsCreated++;
            }
        }
    }

    private void PlanIdentityOverrides(List<IdentityOverride> items, string environmentName, string path, EnvironmentChanges changes, IReadOnlyList<IdentityOverride> existing)
    {
        var existingByKey = existing.ToDictionary(o => (o.Identifier, o.FeatureState.Feature));
        var imported = new HashSet<(string, string)>();
        foreach (var (identityOverride, itemPath) in Indexed(items, path + "/identity_overrides"))
        {
            var identifier = identityOverride.Identifier;
            var featureName = identityOverride.FeatureState.Feature;
            var key = (identifier, _featureIds[featureName]);
            var old = existingByKey.GetValueOrDefault(key);
            if (old is not null && !_overwrite)
            {
                Summary.IdentityOverridesSkipped++;
                continue;
            }
            identityOverride.Environment = changes.EnvironmentId;
            identityOverride.FeatureState = ReadState(identityOverride.FeatureState, itemPath + "/feature_state", changes.EnvironmentId,
                old?.FeatureState.Id ?? _ids.New("identity-override", $"{environmentName}\n{identifier}\n{featureName}"), old?.FeatureState);
            changes.IdentityOverrides.Add(identityOverride);
            imported.Add(key);
            Summary.IdentityOverridesCreated++;
            if (old is not null) Summary.IdentityOverridesDeleted++;
        }
        if (!_overwrite) return;
        // The document lists this environment's identity overrides of its features in full: others of those features go.
        var documentFeatures = _plan.Changes.Features.Select(f => f.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var old in existing.Where(o => documentFeatures.Contains(o.FeatureState.Feature) && !imported.Contains((o.Identifier, o.FeatureState.Feature))))
        {
            changes.DeletedIdentityOverrides.Add(new IdentityOverrideKey(old.Identifier, old.FeatureState.Feature));
            Summary.IdentityOverridesDeleted++;
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
