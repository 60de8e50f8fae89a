using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ProjectExports.Projects;
using ProjectExports.Storage;

namespace ProjectExports.Exports;

/// <summary>
/// Writes an environment's stored rows (the models' own JSON, <see cref="ProjectJsonContext"/>) exactly as the export's
/// serializer writes their models (<see cref="ExportContract"/>), without building the models: excluded properties are
/// skipped, references become names or indexes, and every other value is copied. Decoding rows into models was a
/// quarter of an L export's CPU. A row whose JSON is not exactly its model's current shape (a property missing, added,
/// moved or of another type) is refused, and the caller writes its model instead, so the document is the same.
/// </summary>
internal sealed class StoredRowTranscoder
{
    /// <summary>The longest id looked up without allocating; longer ones are refused (ids are far shorter).</summary>
    private const int MaxIdChars = 256;

    private readonly ExportReferences _references;
    private readonly JsonSerializerOptions _exportOptions;
    private readonly ArrayBufferWriter<byte> _row = new(4096);
    private readonly Utf8JsonWriter _rowWriter;
    private readonly List<(int Start, int End, int Index)> _allocations = [];
    private readonly char[] _id = new char[MaxIdChars];

    public StoredRowTranscoder(ExportReferences references, JsonSerializerOptions exportOptions)
    {
        _references = references;
        _exportOptions = exportOptions;
        _rowWriter = new Utf8JsonWriter(_row, new JsonWriterOptions { Encoder = exportOptions.Encoder, SkipValidation = true });
    }

    /// <summary>
    /// The row shapes follow the contract's names, the same for every export (references only change values), so they
    /// are derived once, from an export that resolves nothing.
    /// </summary>
    private static readonly Lazy<(RowShape? FeatureState, RowShape? SegmentOverride, RowShape? IdentityOverride)> Shapes = new(() =>
    {
        var nothing = new ExportReferences(new ProjectDefinitions(new Project(), [], [], [], []), [], includeTags: false);
        var options = ExportContract.CreateSerializerOptions(nothing);
        var shapes = new Dictionary<Type, RowShape?>();
        return (RowShape.Of(typeof(FeatureState), options, shapes), RowShape.Of(typeof(FeatureSegment), options, shapes), RowShape.Of(typeof(IdentityOverride), options, shapes));
    });

    /// <summary>Null when a model holds something the transcoder does not write (its rows are then always serialized).</summary>
    public RowShape? FeatureState => Shapes.Value.FeatureState;

    public RowShape? SegmentOverride => Shapes.Value.SegmentOverride;

    public RowShape? IdentityOverride => Shapes.Value.IdentityOverride;

    /// <summary>Writes a feature state as the export does.</summary>
    public void Write(Utf8JsonWriter output, StoredFeatureState row) => Write(output, row.Key, row.Json, FeatureState, ProjectJsonContext.Default.FeatureState);

    /// <summary>Writes a segment override as the export does.</summary>
    public void Write(Utf8JsonWriter output, StoredSegmentOverride row) => Write(output, row.Key, row.Json, SegmentOverride, ProjectJsonContext.Default.FeatureSegment);

    /// <summary>Writes an identity override as the export does.</summary>
    public void Write(Utf8JsonWriter output, StoredIdentityOverride row) => Write(output, row.Key, row.Json, IdentityOverride, ProjectJsonContext.Default.IdentityOverride);

    /// <summary>Transcodes the row when it has its model's shape, and otherwise serializes its model.</summary>
    private void Write<T>(Utf8JsonWriter output, string key, byte[] json, RowShape? shape, JsonTypeInfo<T> stored)
    {
        if (!TryWrite(output, shape, json))
        {
            JsonSerializer.Serialize(output, JsonEntityCodec.FromJson(key, json, stored), (JsonTypeInfo<T>)_exportOptions.GetTypeInfo(typeof(T)));
        }
    }

    /// <summary>Writes the row as the next value of <paramref name="output"/>; false (nothing written) when the row is not of <paramref name="shape"/>.</summary>
    public bool TryWrite(Utf8JsonWriter output, RowShape? shape, ReadOnlySpan<byte> stored)
    {
        if (shape is null)
        {
            return false;
        }
        _row.ResetWrittenCount();
        _rowWriter.Reset(_row);
        try
        {
            var reader = new Utf8JsonReader(stored);
            if (!reader.Read() || !TryObject(ref reader, stored, shape) || reader.Read())
            {
                return false;
            }
        }
        catch (JsonException)
        {
            return false; // the model's decoding reports what is wrong with the row
        }
        _rowWriter.Flush();
        output.WriteRawValue(_row.WrittenSpan, skipInputValidation: true);
        return true;
    }

    private bool TryObject(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, RowShape shape)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }
        _rowWriter.WriteStartObject();
        foreach (var property in shape.Properties)
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.PropertyName || reader.ValueIsEscaped || !reader.ValueTextEquals(property.StoredName) || !reader.Read())
            {
                return false;
            }
            if (property.Kind == RowPropertyKind.Skip)
            {
                reader.Skip();
                continue;
            }
            if (!TryValue(ref reader, json, property))
            {
                return false;
            }
        }
        if (!reader.Read() || reader.TokenType != JsonTokenType.EndObject)
        {
            return false;
        }
        _rowWriter.WriteEndObject();
        return true;
    }

    private bool TryValue(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, RowProperty property)
    {
        switch (property.Kind)
        {
            case RowPropertyKind.Copy:
                if (!property.Accepts(reader.TokenType)) return false;
                _rowWriter.WritePropertyName(property.ExportName);
                Copy(ref reader);
                return true;
            case RowPropertyKind.Nested:
                _rowWriter.WritePropertyName(property.ExportName);
                return TryObject(ref reader, json, property.Nested!);
            case RowPropertyKind.FeatureName:
                if (!TryId(ref reader, out var featureId) || !_references.TryFeatureName(featureId, out var feature)) return false;
                _rowWriter.WriteString(property.ExportName, feature);
                return true;
            case RowPropertyKind.SegmentName:
                if (!TryId(ref reader, out var segmentId) || !_references.TrySegmentName(segmentId, out var segment)) return false;
                _rowWriter.WriteString(property.ExportName, segment);
                return true;
            case RowPropertyKind.OptionIndex:
                if (!TryId(ref reader, out var optionId) || !_references.TryOptionIndex(optionId, out var index)) return false;
                _rowWriter.WriteNumber(property.ExportName, index);
                return true;
            case RowPropertyKind.Allocations:
                _rowWriter.WritePropertyName(property.ExportName);
                return TryAllocations(ref reader, json, property.Nested!);
            default:
                return false;
        }
    }

    /// <summary>
    /// A state's multivariate allocations: those whose option is exported, in the options' order (a stable sort, as
    /// <see cref="ExportReferences.MultivariateValues"/> makes it). Each allocation is found first, then written from its own span.
    /// </summary>
    private bool TryAllocations(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, RowShape allocation)
    {
        if (reader.TokenType != JsonTokenType.StartArray || allocation.OptionName is not { } optionName)
        {
            return false;
        }
        _allocations.Clear();
        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            var start = (int)reader.TokenStartIndex;
            int? index = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isOption = !reader.ValueIsEscaped && reader.ValueTextEquals(optionName);
                reader.Read();
                if (isOption)
                {
                    if (!TryId(ref reader, out var optionId)) return false;
                    index = _references.TryOptionIndex(optionId, out var found) ? found : -1;
                }
                reader.Skip();
            }
            if (index is null) return false;
            if (index >= 0) _allocations.Add((start, (int)reader.BytesConsumed, index.Value));
        }
        if (reader.TokenType != JsonTokenType.EndArray)
        {
            return false;
        }
        // Allocations are few (one per option): an insertion sort keeps equal indexes in their stored order.
        for (var i = 1; i < _allocations.Count; i++)
        {
            for (var j = i; j > 0 && _allocations[j - 1].Index > _allocations[j].Index; j--)
            {
                (_allocations[j - 1], _allocations[j]) = (_allocations[j], _allocations[j - 1]);
            }
        }
        _rowWriter.WriteStartArray();
        foreach (var (start, end, _) in _allocations)
        {
            var one = json[start..end];
            var itemReader = new Utf8JsonReader(one);
            if (!itemReader.Read() || !TryObject(ref itemReader, one, allocation)) return false;
        }
        _rowWriter.WriteEndArray();
        return true;
    }

    /// <summary>A string id as characters, in a buffer reused for the next id.</summary>
    private bool TryId(ref Utf8JsonReader reader, out ReadOnlySpan<char> id)
    {
        id = default;
        if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped || reader.HasValueSequence || reader.ValueSpan.Length > _id.Length)
        {
            return false;
        }
        id = _id.AsSpan(0, Encoding.UTF8.GetChars(reader.ValueSpan, _id));
        return true;
    }

    /// <summary>
    /// Copies one value. Stored JSON escapes with the default encoder, which leaves unescaped only characters the export's
    /// (relaxed) encoder leaves too: unescaped text is written as it is, escaped text is decoded and written anew.
    /// </summary>
    private void Copy(ref Utf8JsonReader reader)
    {
        var depth = reader.CurrentDepth;
        while (true)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject: _rowWriter.WriteStartObject(); break;
                case JsonTokenType.EndObject: _rowWriter.WriteEndObject(); break;
                case JsonTokenType.StartArray: _rowWriter.WriteStartArray(); break;
                case JsonTokenType.EndArray: _rowWriter.WriteEndArray(); break;
                case JsonTokenType.PropertyName when reader.ValueIsEscaped: _rowWriter.WritePropertyName(reader.GetString()!); break;
                case JsonTokenType.PropertyName: _rowWriter.WritePropertyName(reader.ValueSpan); break;
                case JsonTokenType.String when reader.ValueIsEscaped: _rowWriter.WriteStringValue(reader.GetString()); break;
                case JsonTokenType.String: _rowWriter.WriteStringValue(reader.ValueSpan); break;
                case JsonTokenType.True or JsonTokenType.False: _rowWriter.WriteBooleanValue(reader.TokenType == JsonTokenType.True); break;
                case JsonTokenType.Null: _rowWriter.WriteNullValue(); break;
                default: _rowWriter.WriteRawValue(reader.ValueSpan, skipInputValidation: true); break; // a number, as stored
            }
            // Done at the value itself (a scalar) or at the end of the container it opened.
            if (reader.CurrentDepth == depth && reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
            {
                return;
            }
            reader.Read();
        }
    }
}
