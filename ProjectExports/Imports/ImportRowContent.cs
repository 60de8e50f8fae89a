using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using ProjectExports.Exports;
using ProjectExports.Projects;

namespace ProjectExports.Imports;

/// <summary>
/// Whether a stored row holds what an import wrote as far as the import's document goes: equal once the properties a
/// document never carries (<see cref="ExportContract.Exclusions"/>: ids aside, timestamps, api keys, owners…) are set
/// aside, at every level. Two imports of one document racing to create the same environment write rows that differ
/// only there (each its own api key and time), and both have done what their document asked.
/// </summary>
public static class ImportRowContent
{
    private static readonly JsonDocumentOptions Depth = new() { MaxDepth = 128 };

    public static bool Matches(string projectId, ProjectRowKey key, byte[]? stored, byte[]? written)
    {
        if (ImportSnapshot.Same(stored, written)) return true;
        if (stored is null || written is null || ModelOf(ProjectStore.EntityTypeOf(projectId, key)) is not { } model) return false;
        var typeInfo = ProjectJsonContext.Default.GetTypeInfo(model)!;
        return JsonNode.DeepEquals(DocumentPart(JsonNode.Parse(stored, documentOptions: Depth), typeInfo), DocumentPart(JsonNode.Parse(written, documentOptions: Depth), typeInfo));
    }

    private static Type? ModelOf(string entityType) => entityType switch
    {
        "tag" => typeof(Tag),
        "segment" => typeof(Segment),
        "feature" => typeof(Feature),
        "environment" => typeof(ProjectEnvironment),
        "feature_state" => typeof(FeatureState),
        "segment_override" => typeof(FeatureSegment),
        "identity_override" => typeof(IdentityOverride),
        _ => null,
    };

    /// <summary>The node, in place, without the excluded properties of its model type and of every model nested in it.</summary>
    private static JsonNode? DocumentPart(JsonNode? node, JsonTypeInfo typeInfo)
    {
        if (node is JsonObject entity && typeInfo.Kind == JsonTypeInfoKind.Object)
        {
            var excluded = ExportContract.Exclusions.GetValueOrDefault(typeInfo.Type);
            foreach (var property in typeInfo.Properties)
            {
                if (excluded?.Contains(property.Name) == true) entity.Remove(property.Name);
                else DocumentPart(entity[property.Name], typeInfo.Options.GetTypeInfo(property.PropertyType));
            }
        }
        else if (node is JsonArray items && typeInfo is { Kind: JsonTypeInfoKind.Enumerable, ElementType: { } elementType })
        {
            var elementInfo = typeInfo.Options.GetTypeInfo(elementType);
            foreach (var item in items) DocumentPart(item, elementInfo);
        }
        return node;
    }
}
