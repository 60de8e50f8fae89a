using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ProjectExports.Exports;
using ProjectExports.Projects;

namespace ProjectExports.Imports;

internal sealed partial class ImportShapeChecker
{
    /// <summary>Where the reader is: the names and indexes leading to it, made a JSON Pointer only for an issue.</summary>
    private readonly List<PathStep> _path = [];

    /// <summary>A property's name (where it is in the document, as written) or an array index.</summary>
    private readonly record struct PathStep(int Index, int NameStart = -1, int NameLength = 0, bool Escaped = false)
    {
        public string Name(ReadOnlySpan<byte> json)
        {
            if (!Escaped) return Encoding.UTF8.GetString(json.Slice(NameStart, NameLength));
            var quoted = new Utf8JsonReader(json.Slice(NameStart - 1, NameLength + 2));
            quoted.Read();
            return quoted.GetString()!;
        }
    }

    private void EnterName(ref Utf8JsonReader reader) =>
        _path.Add(new PathStep(0, (int)reader.TokenStartIndex + 1, reader.ValueSpan.Length, reader.ValueIsEscaped));

    private void EnterIndex(int index) => _path.Add(new PathStep(index));

    private void Leave() => _path.RemoveAt(_path.Count - 1);

    private string LastName() => _path[^1].Name(_json.Span);

    private string PathText()
    {
        var text = "";
        foreach (var step in _path)
            text = step.NameStart < 0 ? JsonPointer.Append(text, step.Index) : JsonPointer.Append(text, step.Name(_json.Span));
        return text;
    }

    private void Error(string code, string message) => errors.Add(new ImportIssue(code, message, PathText()));

    /// <summary>A property's name as the UTF-8 it means: as the document holds it, or unescaped if written with escapes (rare).</summary>
    private static ReadOnlySpan<byte> NameOf(ref Utf8JsonReader reader) =>
        reader.ValueIsEscaped ? Encoding.UTF8.GetBytes(reader.GetString()!) : reader.ValueSpan;

    /// <summary>The type of an environment's section's items, or null when the name is not a section's.</summary>
    private static Type? SectionType(ReadOnlySpan<byte> name) =>
        name.SequenceEqual("feature_states"u8) ? typeof(FeatureState)
        : name.SequenceEqual("feature_segments"u8) ? typeof(FeatureSegment)
        : name.SequenceEqual("identity_overrides"u8) ? typeof(IdentityOverride)
        : null;

    /// <summary>
    /// A segment condition's "property" or "property_": where its value is in the document, and where and at which
    /// place an issue saying the two differ goes.
    /// </summary>
    private readonly record struct ConditionProperty(int Start, int End, int IssueIndex, string? Path)
    {
        /// <summary>The same JSON value, however written (spacing, escapes).</summary>
        public static bool SameValue(ReadOnlyMemory<byte> json, ConditionProperty a, ConditionProperty b)
        {
            using var first = JsonDocument.Parse(json[a.Start..a.End]);
            using var second = JsonDocument.Parse(json[b.Start..b.End]);
            return JsonElement.DeepEquals(first.RootElement, second.RootElement);
        }
    }

    /// <summary>A model's properties, required fields and the export's exclusions, by their JSON names in UTF-8.</summary>
    private sealed class ModelShape
    {
        private static readonly ConcurrentDictionary<Type, ModelShape> Shapes = new();

        private readonly (byte[] Name, JsonPropertyInfo Property)[] _properties;
        private readonly byte[][] _excluded;
        private readonly byte[][] _required;

        private ModelShape(Type type)
        {
            _properties = [.. ProjectJsonContext.Default.GetTypeInfo(type)!.Properties.Select(p => (Encoding.UTF8.GetBytes(p.Name), p))];
            _excluded = [.. ExportContract.Exclusions[type].Select(Encoding.UTF8.GetBytes)];
            Required = [.. ImportShapeChecker.Required[type].Select((name, i) => (name, 1 << i))];
            _required = [.. Required.Select(r => Encoding.UTF8.GetBytes(r.Name))];
        }

        /// <summary>Each required field with its bit in the mask <see cref="RequiredBit"/> makes.</summary>
        public (string Name, int Bit)[] Required { get; }

        public static ModelShape Of(Type type) => Shapes.GetOrAdd(type, static t => new ModelShape(t));

        public JsonPropertyInfo? Find(ReadOnlySpan<byte> name)
        {
            foreach (var (utf8, property) in _properties)
                if (name.SequenceEqual(utf8)) return property;
            return null;
        }

        public bool IsExcluded(ReadOnlySpan<byte> name)
        {
            foreach (var utf8 in _excluded)
                if (name.SequenceEqual(utf8)) return true;
            return false;
        }

        /// <summary>The required field's bit when <paramref name="name"/> is one, else 0.</summary>
        public int RequiredBit(ReadOnlySpan<byte> name)
        {
            for (var i = 0; i < _required.Length; i++)
                if (name.SequenceEqual(_required[i])) return 1 << i;
            return 0;
        }
    }
}
