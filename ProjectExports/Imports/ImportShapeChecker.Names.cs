using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ProjectExports.Exports;
using ProjectExports.Projects;

namespace ProjectExports.Imports;

internal sealed partial class ImportShapeChecker
{
    /// <summary>A property's name as the UTF-8 the document holds; made a string first only if it was written with escapes.</summary>
    private static ReadOnlySpan<byte> Utf8NameOf(JsonProperty property)
    {
        var raw = JsonMarshal.GetRawUtf8PropertyName(property);
        return raw.Contains((byte)'\\') ? Encoding.UTF8.GetBytes(property.Name) : raw;
    }

    /// <summary>Where a value is: its parent's path and, for a property, the property; a string only when asked for.</summary>
    private readonly record struct PendingPath(string Parent, JsonProperty? Property)
    {
        public override string ToString() => Property is { } property ? JsonPointer.Append(Parent, property.Name) : Parent;
    }

    /// <summary>A model's properties and the export's exclusions, by their JSON names in UTF-8.</summary>
    private sealed class ModelShape
    {
        private static readonly ConcurrentDictionary<Type, ModelShape> Shapes = new();

        private readonly (byte[] Name, JsonPropertyInfo Property)[] _properties;
        private readonly byte[][] _excluded;

        private ModelShape(Type type)
        {
            _properties = [.. ProjectJsonContext.Default.GetTypeInfo(type)!.Properties.Select(p => (Encoding.UTF8.GetBytes(p.Name), p))];
            _excluded = [.. ExportContract.Exclusions[type].Select(Encoding.UTF8.GetBytes)];
        }

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
    }
}
