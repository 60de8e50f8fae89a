using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using ProjectExports.Exports;
using ProjectExports.Projects;

namespace ProjectExports.Imports;

/// <summary>
/// Reads a document entity back into its model through the model's own deserialization (ProjectJsonContext):
/// the document's object minus what exports exclude (the mirror of "exclude, never include"), with references
/// already turned from names into ids by the caller, laid over the existing entity's own JSON when one is replaced
/// (so what the document cannot carry, like ids, api keys and owners, is kept). A property added to a model is
/// therefore imported without changes here.
/// </summary>
public static class ImportEntities
{
    public static T Read<T>(JsonObject source, JsonTypeInfo<T> typeInfo, T? existing, Action<JsonObject>? resolveReferences = null)
        where T : class
    {
        var imported = Strip(source, typeof(T));
        resolveReferences?.Invoke(imported);
        var merged = existing is null ? [] : JsonSerializer.SerializeToNode(existing, typeInfo)!.AsObject();
        foreach (var name in imported.Select(p => p.Key).ToList())
        {
            var value = imported[name];
            imported.Remove(name);
            merged[name] = value;
        }
        return merged.Deserialize(typeInfo) ?? throw new JsonException($"{typeof(T).Name} read as null.");
    }

    /// <summary>A copy holding only the model's own, non-excluded properties, recursively through nested model types.</summary>
    public static JsonObject Strip(JsonObject source, Type type)
    {
        var info = ProjectJsonContext.Default.GetTypeInfo(type)!;
        var excluded = ExportContract.Exclusions[type];
        var copy = new JsonObject();
        foreach (var (name, value) in source)
        {
            var property = info.Properties.FirstOrDefault(p => p.Name == name);
            if (property is null || excluded.Contains(name)) continue;
            copy[name] = StripValue(value, property.PropertyType);
        }
        return copy;
    }

    private static JsonNode? StripValue(JsonNode? value, Type type)
    {
        var element = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>) ? type.GetGenericArguments()[0] : null;
        return value switch
        {
            JsonObject obj when ExportContract.Exclusions.ContainsKey(type) => Strip(obj, type),
            JsonArray array when element is not null && ExportContract.Exclusions.ContainsKey(element) =>
                new JsonArray(array.Select(item => item is JsonObject obj ? (JsonNode)Strip(obj, element) : item?.DeepClone()).ToArray()),
            _ => value?.DeepClone(),
        };
    }
}
