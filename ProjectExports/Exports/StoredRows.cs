using System.Text.Json;
using ProjectExports.Projects;
using ProjectExports.Storage;

namespace ProjectExports.Exports;

/// <summary>A feature state as stored, with the feature it orders and filters by.</summary>
internal sealed record StoredFeatureState(string Key, string Feature, byte[] Json);

/// <summary>A segment override as stored, with what it orders and filters by.</summary>
internal sealed record StoredSegmentOverride(string Key, string Feature, string Segment, int Priority, byte[] Json);

/// <summary>An identity override as stored, with what it groups, orders and filters by.</summary>
internal sealed record StoredIdentityOverride(string Key, string Identifier, string Feature, byte[] Json);

/// <summary>One environment's feature states and segment overrides as stored (see <see cref="StoredRowTranscoder"/>).</summary>
internal sealed record StoredEnvironmentStates(IReadOnlyList<StoredFeatureState> FeatureStates, IReadOnlyList<StoredSegmentOverride> SegmentOverrides)
{
    public static async Task<StoredEnvironmentStates> ReadAsync(ProjectStore store, string projectId, string environmentId, CancellationToken cancellationToken)
    {
        List<StoredFeatureState> states = [];
        List<StoredSegmentOverride> overrides = [];
        await store.ReadEnvironmentRowsAsync(projectId, environmentId,
            (key, json) => states.Add(StoredRows.FeatureState(key, json)),
            (key, json) => overrides.Add(StoredRows.SegmentOverride(key, json)), cancellationToken).ConfigureAwait(false);
        return new StoredEnvironmentStates(states, overrides);
    }
}

/// <summary>
/// Keeps a stored row's JSON with the few fields the export orders by, read from the JSON's first properties rather
/// than by decoding the model. A row whose fields are not where its model writes them is decoded for them instead
/// (which reports a row that is not readable).
/// </summary>
internal static class StoredRows
{
    private static ProjectJsonContext Json => ProjectJsonContext.Default;

    public static StoredFeatureState FeatureState(string key, ReadOnlySpan<byte> json)
    {
        var feature = TryRead(json, static (ref Utf8JsonReader reader) => FindString(ref reader, "feature"u8));
        feature ??= JsonEntityCodec.FromJson(key, json, Json.FeatureState).Feature;
        return new StoredFeatureState(key, feature, json.ToArray());
    }

    public static StoredSegmentOverride SegmentOverride(string key, ReadOnlySpan<byte> json)
    {
        var fields = TryRead(json, static (ref Utf8JsonReader reader) =>
        {
            string? feature = null, segment = null;
            int? priority = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName && (feature is null || segment is null || priority is null))
            {
                var escaped = reader.ValueIsEscaped;
                bool isFeature = !escaped && reader.ValueTextEquals("feature"u8), isSegment = !escaped && reader.ValueTextEquals("segment"u8);
                var isPriority = !escaped && reader.ValueTextEquals("priority"u8);
                reader.Read();
                if (isFeature && reader.TokenType == JsonTokenType.String) feature = reader.GetString();
                else if (isSegment && reader.TokenType == JsonTokenType.String) segment = reader.GetString();
                else if (isPriority && reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var value)) priority = value;
                else reader.Skip();
            }
            return feature is null || segment is null || priority is null ? null : new SegmentOverrideFields(feature, segment, priority.Value);
        });
        if (fields is null)
        {
            var model = JsonEntityCodec.FromJson(key, json, Json.FeatureSegment);
            fields = new SegmentOverrideFields(model.Feature, model.Segment, model.Priority);
        }
        return new StoredSegmentOverride(key, fields.Feature, fields.Segment, fields.Priority, json.ToArray());
    }

    public static StoredIdentityOverride IdentityOverride(string key, ReadOnlySpan<byte> json)
    {
        var identifier = TryRead(json, static (ref Utf8JsonReader reader) => FindString(ref reader, "identifier"u8));
        var feature = TryRead(json, static (ref Utf8JsonReader reader) =>
            Find(ref reader, "feature_state"u8) && reader.TokenType == JsonTokenType.StartObject ? FindString(ref reader, "feature"u8) : null);
        if (identifier is null || feature is null)
        {
            var model = JsonEntityCodec.FromJson(key, json, Json.IdentityOverride);
            (identifier, feature) = (model.Identifier, model.FeatureState.Feature);
        }
        return new StoredIdentityOverride(key, identifier, feature, json.ToArray());
    }

    private sealed record SegmentOverrideFields(string Feature, string Segment, int Priority);

    private delegate T? FieldReader<T>(ref Utf8JsonReader reader) where T : class;

    /// <summary>Runs <paramref name="read"/> inside the row's object; null when the row is not readable JSON or lacks the field.</summary>
    private static T? TryRead<T>(ReadOnlySpan<byte> json, FieldReader<T> read) where T : class
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            return reader.Read() && reader.TokenType == JsonTokenType.StartObject ? read(ref reader) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Moves to the value of the current object's property <paramref name="name"/>; false when it has none.</summary>
    private static bool Find(ref Utf8JsonReader reader, ReadOnlySpan<byte> name)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var found = !reader.ValueIsEscaped && reader.ValueTextEquals(name);
            reader.Read();
            if (found) return true;
            reader.Skip();
        }
        return false;
    }

    private static string? FindString(ref Utf8JsonReader reader, ReadOnlySpan<byte> name) =>
        Find(ref reader, name) && reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
}
