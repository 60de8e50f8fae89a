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

        if (info.Type == typeof(Feature))
        {
            var tags = Property(info, "tags");
            if (references.IncludeTags)
                tags.Get = feature => references.TagLabels((Feature)feature);
            else
                info.Properties.Remove(tags);
        }
        else if (info.Type == typeof(FeatureState))
        {
            Property(info, "feature").Get = state => references.FeatureName(((FeatureState)state).Feature);
            Property(info, "multivariate_feature_state_values").Get = state => references.MultivariateValues((FeatureState)state);
        }
        else if (info.Type == typeof(FeatureSegment))
        {
            Property(info, "feature").Get = segmentOverride => references.FeatureName(((FeatureSegment)segmentOverride).Feature);
            Property(info, "segment").Get = segmentOverride => references.SegmentName(((FeatureSegment)segmentOverride).Segment);
        }
        else if (info.Type == typeof(MultivariateFeatureStateValue))
        {
            // The option's id becomes its index in the feature's exported multivariate_options.
            var option = Property(info, "multivariate_feature_option");
            var index = info.CreateJsonPropertyInfo(typeof(int), option.Name);
            index.Get = value => references.OptionIndex(((MultivariateFeatureStateValue)value).MultivariateFeatureOption);
            info.Properties[info.Properties.IndexOf(option)] = index;
        }
    }

    private static JsonPropertyInfo Property(JsonTypeInfo info, string name) =>
        info.Properties.FirstOrDefault(p => p.Name == name)
        ?? throw new InvalidOperationException($"{info.Type.Name} has no JSON property '{name}' to export as a reference; update ExportContract.");

    private static HashSet<string> Set(params string[] names) => new(names, StringComparer.Ordinal);
}
