using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ProjectExports.Http;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ProjectExports.Imports;

/// <summary>Turns uploaded bytes into a JSON tree: JSON as it is (duplicate keys refused), YAML by the YAML 1.2 core schema; text that is not valid Unicode is refused in both (<see cref="UnicodeText"/>).</summary>
public static partial class ImportDocumentParser
{
    /// <summary>The same nesting limit as for JSON: deeper input would exhaust the stack of the recursive YAML loader.</summary>
    private const int MaxDepth = 64;

    public static (JsonNode? Root, ImportIssue? Error) Parse(ImportUpload upload)
    {
        var (root, error) = upload.IsYaml ? ParseYaml(upload.Bytes) : ParseJson(upload.Bytes);
        // A guess that went wrong is the caller's to correct: say what was guessed and how to say otherwise.
        return error is not null && upload.FormatFromContent && error.Code is ImportIssueCodes.InvalidJson or ImportIssueCodes.InvalidYaml
            ? (null, new ImportIssue(error.Code, error.Message + (upload.IsYaml
                ? " Nothing said the format, and the text does not start with '{' or '[', so it was read as YAML; name a JSON file .json or send it as application/json."
                : " Nothing said the format, and the text starts with '{' or '[', so it was read as JSON; name a YAML file .yaml or send it as application/yaml."), error.Path))
            : (root, error);
    }

    public static (JsonNode? Root, ImportIssue? Error) ParseJson(ReadOnlySpan<byte> bytes)
    {
        try
        {
            // First: the parser's duplicate check reads names and would throw on one that is not valid Unicode.
            if (UnicodeText.FindInvalidJson(bytes) is { } path) return (null, NotUnicode(path));
            return (JsonNode.Parse(bytes, documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false, MaxDepth = 64 }), null);
        }
        catch (JsonException e)
        {
            return (null, new ImportIssue(ImportIssueCodes.InvalidJson, $"The document is not valid JSON: {e.Message}", ""));
        }
    }

    private static (JsonNode? Root, ImportIssue? Error) ParseYaml(byte[] bytes)
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
            using var reader = new StreamReader(new MemoryStream(bytes), System.Text.Encoding.UTF8);
            stream.Load(reader);
            if (stream.Documents.Count != 1)
            {
                return (null, new ImportIssue(ImportIssueCodes.InvalidYaml, $"The YAML file must hold one document, not {stream.Documents.Count}.", ""));
            }
            return (Convert(stream.Documents[0].RootNode), null);
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

    private static JsonNode? Convert(YamlNode node)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                var obj = new JsonObject();
                foreach (var (key, value) in mapping.Children)
                {
                    var name = key is YamlScalarNode scalarKey ? scalarKey.Value ?? "" : throw new InvalidOperationException($"a key at {key.Start} is not a plain value.");
                    obj.Add(name, Convert(value)); // throws ArgumentException on a duplicate key
                }
                return obj;
            case YamlSequenceNode sequence:
                var array = new JsonArray();
                foreach (var item in sequence.Children)
                {
                    array.Add(Convert(item));
                }
                return array;
            case YamlScalarNode scalar:
                return Scalar(scalar);
            default:
                throw new InvalidOperationException($"unsupported YAML node at {node.Start}.");
        }
    }

    /// <summary>Quoted scalars and explicit !!str are strings; plain ones resolve to null, booleans and numbers first.</summary>
    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style != ScalarStyle.Plain || (scalar.Tag is { IsEmpty: false, IsNonSpecific: false } && scalar.Tag.Value == "tag:yaml.org,2002:str"))
        {
            return JsonValue.Create(text);
        }
        if (text is "" or "~" or "null" or "Null" or "NULL") return null;
        if (text is "true" or "True" or "TRUE") return JsonValue.Create(true);
        if (text is "false" or "False" or "FALSE") return JsonValue.Create(false);
        if (Integer().IsMatch(text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer)) return JsonValue.Create(integer);
        if (Float().IsMatch(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            && double.IsFinite(number)) return JsonValue.Create(number); // 1e400 is no JSON number: it stays text, and the checks say so
        return JsonValue.Create(text);
    }

    [GeneratedRegex("^[-+]?[0-9]+$")]
    private static partial Regex Integer();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex Float();
}
