using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ProjectExports.Exports;
using ProjectExports.Projects;

namespace ProjectExports.Imports;

/// <summary>
/// How a document is read into the models: each model's own deserialization (as ProjectJsonContext) minus the
/// export's exclusions (<see cref="ExportContract.Exclusions"/>), the mirror of "exclude, never include" — a property
/// added to a model is imported without any change here. References stay as the document writes them (see
/// <see cref="ImportDocument"/>) for the planner to resolve.
/// </summary>
public static class ImportContract
{
    /// <summary>Serializer options for reading documents and their entities; the models' metadata is source-generated.</summary>
    public static readonly JsonSerializerOptions Options = new(ImportDocumentJsonContext.Default.Options)
    {
        TypeInfoResolver = ImportDocumentJsonContext.Default.WithAddedModifier(Apply),
        Converters = { new SharedStringConverter() },
    };

    public static JsonTypeInfo<ImportDocument> Document { get; } = (JsonTypeInfo<ImportDocument>)Options.GetTypeInfo(typeof(ImportDocument));

    /// <summary>One environment's object; what its stored sections are read with (<see cref="ImportDocumentEnvironment.ReadSections"/>).</summary>
    public static JsonTypeInfo<ImportDocumentEnvironment> Environment { get; } = (JsonTypeInfo<ImportDocumentEnvironment>)Options.GetTypeInfo(typeof(ImportDocumentEnvironment));

    /// <summary>
    /// Copies from the entity being replaced what the document cannot carry (its excluded properties: ids, api keys,
    /// owners, timestamps…) onto the one read from the document.
    /// </summary>
    public static void KeepExcluded<T>(T imported, T existing)
        where T : class
    {
        var excluded = ExportContract.Exclusions[typeof(T)];
        foreach (var property in ProjectJsonContext.Default.GetTypeInfo(typeof(T))!.Properties.Where(p => excluded.Contains(p.Name)))
        {
            property.Set!(imported, property.Get!(existing));
        }
    }

    private static void Apply(JsonTypeInfo info)
    {
        if (info.Type == typeof(ImportDocumentEnvironment))
        {
            AddSettings(info);
            return;
        }
        if (!ExportContract.Exclusions.TryGetValue(info.Type, out var excluded)) return;
        for (var i = info.Properties.Count - 1; i >= 0; i--)
        {
            if (excluded.Contains(info.Properties[i].Name)) info.Properties.RemoveAt(i);
        }
        if (info.Type == typeof(SegmentCondition))
        {
            // Flagsmith's export spells the condition's property "property_"; "property" is read too (the shape checker refuses both when they differ).
            var alias = info.CreateJsonPropertyInfo(typeof(string), "property");
            alias.Set = (condition, value) => ((SegmentCondition)condition).Property = (string?)value;
            info.Properties.Add(alias);
        }
        else if (info.Type == typeof(MultivariateFeatureStateValue))
        {
            // The document holds the option's index, kept as text in the model's reference until the planner resolves it.
            var option = info.Properties.First(p => p.Name == "multivariate_feature_option");
            var index = info.CreateJsonPropertyInfo(typeof(long), option.Name);
            index.Set = (value, number) => ((MultivariateFeatureStateValue)value).MultivariateFeatureOption = ((long)number!).ToString(CultureInfo.InvariantCulture);
            info.Properties[info.Properties.IndexOf(option)] = index;
        }
    }

    /// <summary>The environment's settings sit beside its sections in one object: each settings property is read into <see cref="ImportDocumentEnvironment.Settings"/>.</summary>
    private static void AddSettings(JsonTypeInfo info)
    {
        var excluded = ExportContract.Exclusions[typeof(ProjectEnvironment)];
        foreach (var setting in ImportDocumentJsonContext.Default.ProjectEnvironment.Properties.Where(p => !excluded.Contains(p.Name)))
        {
            var set = setting.Set!;
            var property = info.CreateJsonPropertyInfo(setting.PropertyType, setting.Name);
            property.Set = (environment, value) => set(((ImportDocumentEnvironment)environment).Settings, value);
            info.Properties.Add(property);
        }
    }
}
