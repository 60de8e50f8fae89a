using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ProjectExports.Imports;

/// <summary>
/// Keeps JSON bytes as a JSON value inside another document, byte for byte both ways: a snapshot holds rows as
/// stored, readable in the blob and compared exactly with what storage holds later.
/// </summary>
public sealed class RawJsonConverter : JsonConverter<byte[]>
{
    public override byte[] Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var value = JsonDocument.ParseValue(ref reader);
        return JsonMarshal.GetRawUtf8Value(value.RootElement).ToArray();
    }

    /// <summary>Unchecked: every value held is JSON already parsed once (serialized by the app, or read from a page or a stored snapshot).</summary>
    public override void Write(Utf8JsonWriter writer, byte[] value, JsonSerializerOptions options) => writer.WriteRawValue(value, skipInputValidation: true);
}
