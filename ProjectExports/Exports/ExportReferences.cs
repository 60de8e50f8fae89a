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

    /// <summary>Whether a state of this feature is exported.</summary>
    public bool ResolvesFeature(string featureId) => _featureNames.ContainsKey(featureId);

    /// <summary>Whether a segment override of this feature and segment is exported.</summary>
    public bool Resolves(string featureId, string segmentId) => _featureNames.ContainsKey(featureId) && _segmentNames.ContainsKey(segmentId);

    public string FeatureName(string featureId) => _featureNames[featureId];

    public string SegmentName(string segmentId) => _segmentNames[segmentId];

    public int OptionIndex(string optionId) => _optionIndexes[optionId];

    /// <summary>Lookups by an id read from stored JSON, without making a string of it.</summary>
    public bool TryFeatureName(ReadOnlySpan<char> featureId, out string name) => _featureNames.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(featureId, out name!);

    public bool TrySegmentName(ReadOnlySpan<char> segmentId, out string name) => _segmentNames.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(segmentId, out name!);

    public bool TryOptionIndex(ReadOnlySpan<char> optionId, out int index) => _optionIndexes.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(optionId, out index);

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
