using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace ProjectExports.Imports.Review;

/// <summary>
/// The fields two forms of one entity differ in, both as the export document writes them: objects by member (in the
/// new form's order, then members only the old one has), arrays by position, anything else by value.
/// </summary>
public static class ImportPlanDiff
{
    /// <summary>Values whose JSON is longer than this are shown by length and SHA-256, so a review stays small.</summary>
    public const int MaxValueBytes = 256;

    // Stored entities nest deeper than a document's 64 levels allow only by their own wrapper; the plan's limit applies.
    private static readonly System.Text.Json.JsonDocumentOptions Depth = new() { MaxDepth = 128 };

    public static List<ImportFieldChange> Compare(ReadOnlySpan<byte> before, ReadOnlySpan<byte> after)
    {
        var changes = new List<ImportFieldChange>();
        Compare(JsonNode.Parse(before, documentOptions: Depth), JsonNode.Parse(after, documentOptions: Depth), "", changes);
        return changes;
    }

    private static void Compare(JsonNode? before, JsonNode? after, string path, List<ImportFieldChange> changes)
    {
        switch (before, after)
        {
            case (JsonObject b, JsonObject a):
                foreach (var (name, value) in a)
                {
                    Compare(b[name], value, JsonPointer.Append(path, name), changes);
                }
                foreach (var (name, value) in b.Where(m => !a.ContainsKey(m.Key)))
                {
                    Compare(value, null, JsonPointer.Append(path, name), changes);
                }
                break;
            case (JsonArray b, JsonArray a):
                for (var i = 0; i < Math.Max(b.Count, a.Count); i++)
                {
                    Compare(i < b.Count ? b[i] : null, i < a.Count ? a[i] : null, JsonPointer.Append(path, i), changes);
                }
                break;
            default:
                if (!JsonNode.DeepEquals(before, after))
                {
                    changes.Add(new ImportFieldChange(path, Shown(before), Shown(after)));
                }
                break;
        }
    }

    private static JsonNode? Shown(JsonNode? value)
    {
        if (value is null) return null;
        var json = Encoding.UTF8.GetBytes(value.ToJsonString());
        if (json.Length <= MaxValueBytes) return value.DeepClone();
        return new JsonObject
        {
            ["elided"] = true,
            ["length"] = json.Length,
            ["sha256"] = Convert.ToHexStringLower(SHA256.HashData(json)),
        };
    }
}
