using ProjectExports.Projects;

namespace ProjectExports.Exports;

/// <summary>
/// One export's id-to-name lookups. Entities whose references cannot be resolved (states of archived
/// features, overrides of deleted segments) are not exported, so every reference in a document resolves.
/// </summary>
public sealed class ExportReferences
{
    private readonly Dictionary<string, string> _featureNames;
    private readonly Dictionary<string, string> _segmentNames;
    private readonly Dictionary<string, string> _tagLabels;
    private readonly Dictionary<string, int> _optionIndexes = new(StringComparer.Ordinal);

    public ExportReferences(ProjectDefinitions definitions, IEnumerable<Feature> exportedFeatures, bool includeTags)
    {
        IncludeTags = includeTags;
        _featureNames = new(StringComparer.Ordinal);
        foreach (var feature in exportedFeatures)
        {
            _featureNames[feature.Id] = feature.Name;
            for (var i = 0; i < feature.MultivariateOptions.Count; i++)
            {
                _optionIndexes[feature.MultivariateOptions[i].Id] = i;
            }
        }
        _segmentNames = definitions.Segments.ToDictionary(s => s.Id, s => s.Name, StringComparer.Ordinal);
        _tagLabels = definitions.Tags.ToDictionary(t => t.Id, t => t.Label, StringComparer.Ordinal);
    }

    public bool IncludeTags { get; }

    public bool Resolves(FeatureState state) => _featureNames.ContainsKey(state.Feature);

    public bool Resolves(FeatureSegment segmentOverride) =>
        _featureNames.ContainsKey(segmentOverride.Feature) && _segmentNames.ContainsKey(segmentOverride.Segment);

    public string FeatureName(string featureId) => _featureNames[featureId];

    public string SegmentName(string segmentId) => _segmentNames[segmentId];

    public int OptionIndex(string optionId) => _optionIndexes[optionId];

    public List<string> TagLabels(Feature feature) =>
        feature.Tags.Where(_tagLabels.ContainsKey).Select(id => _tagLabels[id]).Distinct().Order(ExportOrder.Instance).ToList();

    /// <summary>
    /// The state's allocations that point at an exported option, in option order. Called for every exported state:
    /// the usual case (all resolve, already in order) returns the state's own list instead of building a new one.
    /// </summary>
    public List<MultivariateFeatureStateValue> MultivariateValues(FeatureState state)
    {
        var values = state.MultivariateFeatureStateValues;
        var previous = -1;
        foreach (var value in values)
        {
            if (!_optionIndexes.TryGetValue(value.MultivariateFeatureOption, out var index) || index < previous)
            {
                return values
                    .Where(v => _optionIndexes.ContainsKey(v.MultivariateFeatureOption))
                    .OrderBy(v => _optionIndexes[v.MultivariateFeatureOption])
                    .ToList();
            }
            previous = index;
        }
        return values;
    }
}
