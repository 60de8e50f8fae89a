using System.Text.Json;
using System.Text.Json.Serialization;

namespace ProjectExports.Http;

/// <summary>Timestamps as ISO 8601 in UTC with a Z (2026-11-22T10:00:00.1234567Z), whatever offset they carry.</summary>
public sealed class UtcTimestampConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.GetDateTimeOffset();

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime);
}
