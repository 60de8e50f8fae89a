using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ProjectExports.Projects;

namespace ProjectExports.Exports;

/// <summary>
/// What an export contains of each entity: the model's own serialization (ProjectJsonContext) minus the
/// properties listed here, with id references turned into names. Exclude, never include: a property added
/// to a model appears in exports without any change here (a test holds every exported type to this).
/// </summary>
public static class ExportContract
{
    /// <summary>JSON names removed from each exported type: identities, ownership, timestamps, secrets, internal flags.</summary>
    public static readonly IReadOnlyDictionary<Type, IReadOnlySet<string>> Exclusions = new Dictionary<Type, IReadOnlySet<string>>
    {
        [typeof(Tag)] = Set("id", "uuid", "project", "is_system_tag", "type"),
        [typeof(Segment)] = Set("id", "uuid", "project", "feature", "version_of", "created_at", "updated_at", "metadata"),
        [typeof(SegmentRule)] = Set(),
        [typeof(SegmentCondition)] = Set(),
        [typeof(Feature)] = Set("id", "uuid", "project", "created_date", "owners", "group_owners", "is_archived"),
        [typeof(MultivariateFeatureOption)] = Set("id"),
        [typeof(ProjectEnvironment)] = Set("id", "uuid", "project", "api_key", "is_creating", "webhooks_enabled", "webhook_url", "created_date", "updated_at"),
        [typeof(FeatureState)] = Set("id", "environment", "created_at", "updated_at"),
        [typeof(FeatureStateValue)] = Set(),
        [typeof(MultivariateFeatureStateValue)] = Set("id"),
        [typeof(FeatureSegment)] = Set("id", "environment"),
        [typeof(IdentityOverride)] = Set("environment"),
    };

    /// <summary>
    /// Serializer options for one export: the models' contract with exclusions applied and references resolved
    /// against this export's names. Built once per export (a few milliseconds), never per entity.
    /// </summary>
    public static JsonSerializerOptions CreateSerializerOptions(ExportReferences references)
    {
        var resolver = ProjectJsonContext.Default.WithAddedModifier(info => Apply(info, references));
        return new JsonSerializerOptions(ProjectJsonContext.Default.Options)
        {
            TypeInfoResolver = resolver,
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
    }

    /// <summary>
    /// Properties exported as something other than their stored value: ids turned into names or indexes, lists trimmed to
    /// what resolves. The serializer (<see cref="CreateSerializerOptions"/>) and <see cref="StoredRowTranscoder"/> both
    /// follow this table.
    /// </summary>
    public static readonly IReadOnlyDictionary<Type, IReadOnlyDictionary<string, ExportReference>> References = new Dictionary<Type, IReadOnlyDictionary<string, ExportReference>>
    {
        [typeof(Feature)] = new Dictionary<string, ExportReference> { ["tags"] = ExportReference.TagLabels },
        [typeof(FeatureState)] = new Dictionary<string, ExportReference>
        {
            ["feature"] = ExportReference.FeatureName,
            ["multivariate_feature_state_values"] = ExportReference.MultivariateValues,
        },
        [typeof(FeatureSegment)] = new Dictionary<string, ExportReference>
        {
            ["feature"] = ExportReference.FeatureName,
            ["segment"] = ExportReference.SegmentName,
        },
        [typeof(MultivariateFeatureStateValue)] = new Dictionary<string, ExportReference> { ["multivariate_feature_option"] = ExportReference.OptionIndex },
    };

    private static void Apply(JsonTypeInfo info, ExportReferences references)
    {
        if (!Exclusions.TryGetValue(info.Type, out var excluded))
        {
            return;
        }
        for (var i = info.Properties.Count - 1; i >= 0; i--)
        {
            if (excluded.Contains(info.Properties[i].Name))
            {
                info.Properties.RemoveAt(i);
            }
        }
        if (!References.TryGetValue(info.Type, out var referenced))
        {
            return;
        }
        foreach (var (name, reference) in referenced)
        {
            var property = Property(info, name);
            switch (reference)
            {
                case ExportReference.TagLabels when references.IncludeTags:
                    property.Get = feature => references.TagLabels((Feature)feature);
                    break;
                case ExportReference.TagLabels:
                    info.Properties.Remove(property);
                    break;
                case ExportReference.FeatureName:
                    property.Get = value => references.FeatureName(value switch
                    {
                        FeatureState state => state.Feature,
                        FeatureSegment segmentOverride => segmentOverride.Feature,
                        _ => throw new InvalidOperationException($"{info.Type.Name} has no feature reference."),
                    });
                    break;
                case ExportReference.SegmentName:
                    property.Get = segmentOverride => references.SegmentName(((FeatureSegment)segmentOverride).Segment);
                    break;
                case ExportReference.MultivariateValues:
                    property.Get = state => references.MultivariateValues((FeatureState)state);
                    break;
                case ExportReference.OptionIndex:
                    // The option's id becomes its index in the feature's exported multivariate_options.
                    var index = info.CreateJsonPropertyInfo(typeof(int), property.Name);
                    index.Get = value => references.OptionIndex(((MultivariateFeatureStateValue)value).MultivariateFeatureOption);
                    info.Properties[info.Properties.IndexOf(property)] = index;
                    break;
            }
        }
    }

    private static JsonPropertyInfo Property(JsonTypeInfo info, string name) =>
        info.Properties.FirstOrDefault(p => p.Name == name)
        ?? throw new InvalidOperationException($"{info.Type.Name} has no JSON property '{name}' to export as a reference; update ExportContract.");

    private static HashSet<string> Set(params string[] names) => new(names, StringComparer.Ordinal);
}
