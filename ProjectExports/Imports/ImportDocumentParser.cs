using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using ProjectExports.Http;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ProjectExports.Imports;

/// <summary>
/// Turns uploaded bytes into JSON and opens it: JSON as it is (duplicate keys refused), YAML by the YAML 1.2 core
/// schema, written out as JSON; text that is not valid Unicode is refused in both (<see cref="UnicodeText"/>). The
/// JSON bytes, checked to be one JSON value (<see cref="JsonSyntax"/>), are what is stored, checked for shape and read into the models.
/// </summary>
public static partial class ImportDocumentParser
{
    /// <summary>The same nesting limit as for JSON: deeper input would exhaust the stack of the recursive YAML loader.</summary>
    public const int MaxDepth = 64;

    public static (byte[]? Json, ImportIssue? Error) Parse(ImportUpload upload)
    {
        var (json, error) = upload.IsYaml ? YamlToJson(upload.Bytes) : (upload.Bytes, null);
        error ??= Check(json!);
        // A guess that went wrong is the caller's to correct: say what was guessed and how to say otherwise.
        return error is not null && upload.FormatFromContent && error.Code is ImportIssueCodes.InvalidJson or ImportIssueCodes.InvalidYaml
            ? (null, new ImportIssue(error.Code, error.Message + (upload.IsYaml
                ? " Nothing said the format, and the text does not start with '{' or '[', so it was read as YAML; name a JSON file .json or send it as application/json."
                : " Nothing said the format, and the text starts with '{' or '[', so it was read as JSON; name a YAML file .yaml or send it as application/yaml."), error.Path))
            : error is null ? (json, null) : (null, error);
    }

    private static ImportIssue? Check(byte[] json) =>
        // First: the duplicate check compares names, which must be valid Unicode to be told apart.
        UnicodeText.FindInvalidJson(json) is { } path ? NotUnicode(path)
        : JsonSyntax.FindError(json, MaxDepth) is { } problem ? new ImportIssue(ImportIssueCodes.InvalidJson, $"The document is not valid JSON: {problem}", "")
        : null;

    private static (byte[]? Json, ImportIssue? Error) YamlToJson(byte[] bytes)
    {
        if (InvalidUtf8At(bytes) is var invalidAt and >= 0)
        {
            return (null, NotUnicode(PathAt(bytes, invalidAt)));
        }
        try
        {
            if (CheckStructure(bytes) is { } problem)
            {
                return (null, new ImportIssue(ImportIssueCodes.InvalidYaml, problem, ""));
            }
            var stream = new YamlStream();
            using (var reader = new StreamReader(new MemoryStream(bytes), System.Text.Encoding.UTF8))
            {
                stream.Load(reader);
            }
            if (stream.Documents.Count != 1)
            {
                return (null, new ImportIssue(ImportIssueCodes.InvalidYaml, $"The YAML file must hold one document, not {stream.Documents.Count}.", ""));
            }
            var json = new ArrayBufferWriter<byte>(bytes.Length + 256);
            using (var writer = new Utf8JsonWriter(json, new JsonWriterOptions { SkipValidation = true }))
            {
                Write(writer, stream.Documents[0].RootNode);
            }
            return (json.WrittenSpan.ToArray(), null);
        }
        catch (Exception e) when (e is YamlException or InvalidOperationException or ArgumentException)
        {
            return (null, new ImportIssue(ImportIssueCodes.InvalidYaml, $"The document is not valid YAML: {e.Message}", ""));
        }
    }

    /// <summary>
    /// Walks the parser's events (an iterative state machine, unlike the loader) before anything is built: refuses
    /// nesting beyond <see cref="MaxDepth"/>, which would overflow the stack (an uncatchable crash of the whole
    /// process), and aliases, which can refer to themselves or multiply a small file into gigabytes. An export
    /// never contains aliases, so nothing real is refused.
    /// </summary>
    private static string? CheckStructure(byte[] bytes)
    {
        using var reader = new StreamReader(new MemoryStream(bytes), System.Text.Encoding.UTF8);
        var parser = new Parser(reader);
        var depth = 0;
        while (parser.MoveNext())
        {
            switch (parser.Current)
            {
                case YamlDotNet.Core.Events.AnchorAlias alias:
                    return $"Aliases (*name) are not supported; write the value out instead (at {alias.Start}).";
                case YamlDotNet.Core.Events.MappingStart or YamlDotNet.Core.Events.SequenceStart when ++depth > MaxDepth:
                    return $"The document nests deeper than {MaxDepth} levels (at {parser.Current.Start}).";
                case YamlDotNet.Core.Events.MappingEnd or YamlDotNet.Core.Events.SequenceEnd:
                    depth--;
                    break;
            }
        }
        return null;
    }

    private static ImportIssue NotUnicode(string path) =>
        new(ImportIssueCodes.InvalidUnicode, $"The text is not valid Unicode: {UnicodeText.Rule}. It is refused, not repaired.", path);

    /// <summary>Where the first byte that is not UTF-8 lands in the text a reader decodes (with U+FFFD), or -1.</summary>
    private static long InvalidUtf8At(byte[] bytes)
    {
        if (System.Text.Unicode.Utf8.IsValid(bytes)) return -1;
        System.Text.Unicode.Utf8.ToUtf16(bytes, new char[bytes.Length], out _, out var written, replaceInvalidSequences: false);
        return bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? written - 1 : written; // the reader drops a byte order mark
    }

    /// <summary>The JSON Pointer of the key or value holding character <paramref name="index"/>; "" when the YAML cannot be read that far.</summary>
    private static string PathAt(byte[] bytes, long index)
    {
        try
        {
            if (CheckStructure(bytes) is not null) return "";
            var stream = new YamlStream();
            using var reader = new StreamReader(new MemoryStream(bytes), System.Text.Encoding.UTF8);
            stream.Load(reader);
            return stream.Documents.Count == 1 ? PathAt(stream.Documents[0].RootNode, "", index) ?? "" : "";
        }
        catch (Exception e) when (e is YamlException or InvalidOperationException or ArgumentException)
        {
            return "";
        }
    }

    private static string? PathAt(YamlNode node, string path, long index)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                foreach (var (key, value) in mapping.Children)
                {
                    var keyPath = JsonPointer.Append(path, (key as YamlScalarNode)?.Value ?? "");
                    if (Covers(key, index)) return keyPath;
                    if (PathAt(value, keyPath, index) is { } found) return found;
                }
                return null;
            case YamlSequenceNode sequence:
                for (var i = 0; i < sequence.Children.Count; i++)
                {
                    if (PathAt(sequence.Children[i], JsonPointer.Append(path, i), index) is { } found) return found;
                }
                return null;
            default:
                return Covers(node, index) ? path : null;
        }
    }

    private static bool Covers(YamlNode node, long index) => node.Start.Index <= index && index < node.End.Index;

    private static void Write(Utf8JsonWriter writer, YamlNode node)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                writer.WriteStartObject();
                var names = new HashSet<string>(StringComparer.Ordinal);
                foreach (var (key, value) in mapping.Children)
                {
                    var name = key is YamlScalarNode scalarKey ? scalarKey.Value ?? "" : throw new InvalidOperationException($"a key at {key.Start} is not a plain value.");
                    if (!names.Add(name)) throw new InvalidOperationException($"the key '{Echo.Cut(name, 100)}' appears twice in one mapping (at {key.Start}).");
                    writer.WritePropertyName(name);
                    Write(writer, value);
                }
                writer.WriteEndObject();
                break;
            case YamlSequenceNode sequence:
                writer.WriteStartArray();
                foreach (var item in sequence.Children) Write(writer, item);
                writer.WriteEndArray();
                break;
            case YamlScalarNode scalar:
                WriteScalar(writer, scalar);
                break;
            default:
                throw new InvalidOperationException($"unsupported YAML node at {node.Start}.");
        }
    }

    /// <summary>Quoted scalars and explicit !!str are strings; plain ones resolve to null, booleans and numbers first.</summary>
    private static void WriteScalar(Utf8JsonWriter writer, YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style != ScalarStyle.Plain || (scalar.Tag is { IsEmpty: false, IsNonSpecific: false } && scalar.Tag.Value == "tag:yaml.org,2002:str"))
            writer.WriteStringValue(text);
        else if (text is "" or "~" or "null" or "Null" or "NULL") writer.WriteNullValue();
        else if (text is "true" or "True" or "TRUE") writer.WriteBooleanValue(true);
        else if (text is "false" or "False" or "FALSE") writer.WriteBooleanValue(false);
        else if (Integer().IsMatch(text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer)) writer.WriteNumberValue(integer);
        else if (Float().IsMatch(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
            writer.WriteRawValue(FloatJson(number), skipInputValidation: true);
        else writer.WriteStringValue(text); // 1e400 is no JSON number: it stays text, and the checks say so
    }

    /// <summary>A YAML float as JSON that stays a fraction (1.0, not 1), so it is no more a whole number than the same JSON would be.</summary>
    internal static string FloatJson(double number)
    {
        var text = number.ToString("R", CultureInfo.InvariantCulture);
        return text.AsSpan().IndexOfAny('.', 'E') >= 0 ? text : text + ".0";
    }

    [GeneratedRegex("^[-+]?[0-9]+$")]
    private static partial Regex Integer();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex Float();
}
