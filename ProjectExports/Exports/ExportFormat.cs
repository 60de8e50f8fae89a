using System.Text.Json;
using System.Text.Json.Serialization;

namespace ProjectExports.Exports;

/// <summary>What an export file is written as; see <see cref="ExportFormats"/> for each one's name, media type and extension.</summary>
[JsonConverter(typeof(ExportFormatJsonConverter))]
public enum ExportFormat
{
    Json,
    Yaml,
    /// <summary>An OpenFeature flagd flag definition file of one environment (see docs/flagd.md).</summary>
    Flagd,
}

/// <summary>Each format's name on the wire and in storage, its media type and its file extension, said once.</summary>
public static class ExportFormats
{
    private sealed record Description(string Name, string MediaType, string Extension);

    private static readonly IReadOnlyDictionary<ExportFormat, Description> Descriptions = new Dictionary<ExportFormat, Description>
    {
        [ExportFormat.Json] = new("json", "application/json", "json"),
        [ExportFormat.Yaml] = new("yaml", "application/yaml", "yaml"),
        [ExportFormat.Flagd] = new("flagd", "application/json", "flagd.json"),
    };

    public static IReadOnlyList<ExportFormat> All { get; } = Enum.GetValues<ExportFormat>();

    /// <summary>The names a caller may give, for messages: "'json', 'yaml'".</summary>
    public static string Names => string.Join(", ", All.Select(f => $"'{f.Name()}'"));

    /// <summary>"json", "yaml": how the API and the exports table name the format.</summary>
    public static string Name(this ExportFormat format) => Descriptions[format].Name;

    /// <summary>The Content-Type of the file, in its blob and on download.</summary>
    public static string MediaType(this ExportFormat format) => Descriptions[format].MediaType;

    /// <summary>What the blob's and the download's names end with, without the dot.</summary>
    public static string Extension(this ExportFormat format) => Descriptions[format].Extension;

    /// <summary>Exact names only: "YAML" or "1" is not a format.</summary>
    public static bool TryParse(string? name, out ExportFormat format)
    {
        foreach (var (candidate, description) in Descriptions)
        {
            if (string.Equals(description.Name, name, StringComparison.Ordinal))
            {
                format = candidate;
                return true;
            }
        }
        format = default;
        return false;
    }
}

/// <summary>Writes and reads a format by its <see cref="ExportFormats.Name"/>.</summary>
public sealed class ExportFormatJsonConverter : JsonConverter<ExportFormat>
{
    public override ExportFormat Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String && ExportFormats.TryParse(reader.GetString(), out var format)
            ? format
            : throw new JsonException($"The format must be one of {ExportFormats.Names}.");

    public override void Write(Utf8JsonWriter writer, ExportFormat value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.Name());
}
