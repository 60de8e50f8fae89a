using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using ProjectExports.Http;

namespace ProjectExports.Imports;

/// <summary>
/// Which of the document's environments an import takes, and under which names: <c>environment_map</c> (source name
/// in the document → target name in the project) and <c>environments</c> (source names to import; the others are
/// ignored). Given in the query or as form fields, by the same rule as the strategy: given in both and different is
/// refused rather than guessed. Kept as given; <see cref="ImportEnvironmentSelection"/> checks them against the document.
/// </summary>
public sealed record ImportEnvironmentOptions(IReadOnlyDictionary<string, string>? EnvironmentMap, IReadOnlyList<string>? Environments)
{
    public const string MapName = "environment_map";
    public const string EnvironmentsName = "environments";

    /// <summary>What the record's table row holds of each option, as UTF-8 JSON: half a property's 64 KiB.</summary>
    public const int MaxStoredBytes = 32 * 1024;

    public static readonly ImportEnvironmentOptions None = new(null, null);

    /// <summary>The options in one text that is the same for the same meaning (map by key, names sorted, once each), for a plan's id.</summary>
    /// <remarks>The map goes as a flat list of key, target, key, target… in key order: pairs, so it reads back one way only.</remarks>
    public string ToCanonicalText() =>
        JsonSerializer.Serialize(EnvironmentMap?.OrderBy(p => p.Key, StringComparer.Ordinal).SelectMany(p => new[] { p.Key, p.Value }).ToList(), ApiJsonContext.Wire.IReadOnlyListString)
        + "\n" + JsonSerializer.Serialize(Environments?.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(), ApiJsonContext.Wire.IReadOnlyListString);

    /// <summary>The options of a request whose form fields (if any) are read into <paramref name="upload"/>.</summary>
    public static Outcome<ImportEnvironmentOptions> Read(IQueryCollection query, ImportUpload upload)
    {
        if (query.TryGetValue(MapName, out var queryMaps) && queryMaps.Count > 1)
            return Refused(Problems.BadRequest("ambiguous_query", $"The query has more than one '{MapName}'; send one."));

        IReadOnlyDictionary<string, string>? map = null;
        if (upload.FormEnvironmentMap is { } formText && !ParseMap(formText, "form field").TryGetValue(out map, out var formProblem)) return Refused(formProblem);
        if (queryMaps.Count == 1)
        {
            if (!ParseMap(queryMaps.ToString(), "query's ?environment_map=").TryGetValue(out var queried, out var queryProblem)) return Refused(queryProblem);
            if (map is not null && !SameMap(map, queried))
                return Refused(Problems.BadRequest($"conflicting_{MapName}", $"The form field '{MapName}' and the query's ?{MapName}= differ; give one, or the same in both."));
            map ??= queried;
        }

        IReadOnlyList<string>? environments = upload.FormEnvironments;
        if (query.TryGetValue(EnvironmentsName, out var queryEnvironments))
        {
            IReadOnlyList<string> queried = queryEnvironments.Select(e => e ?? "").ToList();
            if (environments is not null && !environments.ToHashSet(StringComparer.Ordinal).SetEquals(queried))
                return Refused(Problems.BadRequest($"conflicting_{EnvironmentsName}", $"The form fields '{EnvironmentsName}' and the query's ?{EnvironmentsName}= name different environments; give one, or the same in both."));
            environments ??= queried;
        }
        // Checked as the record's row will hold them.
        if (map is not null && JsonSerializer.SerializeToUtf8Bytes(map, ApiJsonContext.Wire.IReadOnlyDictionaryStringString).Length > MaxStoredBytes)
            return Refused(Problems.BadRequest($"invalid_{MapName}", $"The '{MapName}' takes more than {MaxStoredBytes:N0} bytes as JSON; import in parts."));
        if (environments is not null && JsonSerializer.SerializeToUtf8Bytes(environments, ApiJsonContext.Wire.IReadOnlyListString).Length > MaxStoredBytes)
            return Refused(Problems.BadRequest($"invalid_{EnvironmentsName}", $"The '{EnvironmentsName}' take more than {MaxStoredBytes:N0} bytes as JSON; import in parts."));
        return new ImportEnvironmentOptions(map, environments);
    }

    /// <summary>A JSON object of strings, each key once; anything else is refused, not half-read.</summary>
    private static Outcome<IReadOnlyDictionary<string, string>> ParseMap(string text, string where)
    {
        if (Encoding.UTF8.GetByteCount(text) > MaxStoredBytes)
            return RefusedMap($"The {where} '{MapName}' is over {MaxStoredBytes:N0} bytes.");
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            using var json = JsonDocument.Parse(text);
            if (json.RootElement.ValueKind != JsonValueKind.Object)
                return RefusedMap($"The {where} '{MapName}' must be a JSON object of source name to target name, like {{\"Production\": \"prod\"}}.");
            foreach (var property in json.RootElement.EnumerateObject())
            {
                if (property.Value.ValueKind != JsonValueKind.String)
                    return RefusedMap($"The {where} '{MapName}' maps '{Echo.Cut(property.Name, 100)}' to a {property.Value.ValueKind.ToString().ToLowerInvariant()}; a target name is a string.");
                if (!map.TryAdd(property.Name, property.Value.GetString()!))
                    return RefusedMap($"The {where} '{MapName}' names '{Echo.Cut(property.Name, 100)}' more than once.");
            }
        }
        catch (JsonException e)
        {
            return RefusedMap($"The {where} '{MapName}' is not valid JSON: {e.Message}");
        }
        return map;
    }

    private static bool SameMap(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        a.Count == b.Count && a.All(p => b.TryGetValue(p.Key, out var target) && target == p.Value);

    private static Outcome<IReadOnlyDictionary<string, string>> RefusedMap(string detail) =>
        Outcome<IReadOnlyDictionary<string, string>>.Refused(Problems.BadRequest($"invalid_{MapName}", detail));

    private static Outcome<ImportEnvironmentOptions> Refused(IResult problem) => Outcome<ImportEnvironmentOptions>.Refused(problem);
}
