using System.Text;
using System.Text.Json;
using ProjectExports.Projects;

namespace ProjectExports.Exports;

/// <summary>How <see cref="StoredRowTranscoder"/> writes one stored property.</summary>
internal enum RowPropertyKind
{
    Skip,
    Copy,
    Nested,
    FeatureName,
    SegmentName,
    OptionIndex,
    Allocations,
}

/// <summary>One property of a stored model, in stored order, and what the export makes of it.</summary>
internal sealed record RowProperty(string Name, RowPropertyKind Kind, JsonTokenType[] Accepted, RowShape? Nested)
{
    public byte[] StoredName { get; } = Encoding.UTF8.GetBytes(Name);

    public JsonEncodedText ExportName { get; } = JsonEncodedText.Encode(Name);

    public bool Accepts(JsonTokenType token) => Array.IndexOf(Accepted, token) >= 0;
}

/// <summary>
/// A model's stored properties in order, derived from the models' own contract and the export's (never listed by
/// hand), so a property added to a model is exported by the transcoder as by the serializer.
/// </summary>
internal sealed class RowShape
{
    private RowShape(RowProperty[] properties)
    {
        Properties = properties;
        OptionName = properties.FirstOrDefault(p => p.Kind == RowPropertyKind.OptionIndex)?.StoredName;
    }

    /// <summary>An array, so that walking it per row allocates no enumerator.</summary>
    public RowProperty[] Properties { get; }

    /// <summary>For an allocation: the stored name of the option it points at (found once, not per state written).</summary>
    public byte[]? OptionName { get; }

    /// <summary>The shape of <paramref name="type"/>; null when it holds something the transcoder does not write.</summary>
    public static RowShape? Of(Type type, JsonSerializerOptions exportOptions, Dictionary<Type, RowShape?> shapes)
    {
        if (shapes.TryGetValue(type, out var known))
        {
            return known;
        }
        shapes[type] = null; // a type holding itself is left to the serializer
        var excluded = ExportContract.Exclusions[type];
        var references = ExportContract.References.GetValueOrDefault(type);
        var properties = new List<RowProperty>();
        foreach (var stored in ProjectJsonContext.Default.GetTypeInfo(type)!.Properties)
        {
            var property = excluded.Contains(stored.Name) ? new RowProperty(stored.Name, RowPropertyKind.Skip, [], null)
                : references is not null && references.TryGetValue(stored.Name, out var reference) ? Referenced(stored.Name, reference, stored.PropertyType, exportOptions, shapes)
                : ExportContract.Exclusions.ContainsKey(stored.PropertyType) ? Of(stored.PropertyType, exportOptions, shapes) is { } nested
                    ? new RowProperty(stored.Name, RowPropertyKind.Nested, [], nested) : null
                : Accepted(stored.PropertyType) is { } accepted ? new RowProperty(stored.Name, RowPropertyKind.Copy, accepted, null)
                : null;
            if (property is null)
            {
                return null;
            }
            properties.Add(property);
        }
        // The export keeps the other properties in stored order; if it no longer does, the contract changed beyond this.
        var kept = properties.Where(p => p.Kind != RowPropertyKind.Skip).Select(p => p.Name);
        if (!kept.SequenceEqual(exportOptions.GetTypeInfo(type).Properties.Select(p => p.Name)))
        {
            return null;
        }
        var shape = new RowShape([.. properties]);
        shapes[type] = shape;
        return shape;
    }

    private static RowProperty? Referenced(string name, ExportReference reference, Type type, JsonSerializerOptions exportOptions, Dictionary<Type, RowShape?> shapes) =>
        reference switch
        {
            ExportReference.FeatureName => new(name, RowPropertyKind.FeatureName, [], null),
            ExportReference.SegmentName => new(name, RowPropertyKind.SegmentName, [], null),
            ExportReference.OptionIndex => new(name, RowPropertyKind.OptionIndex, [], null),
            ExportReference.MultivariateValues when type.IsGenericType && type.GetGenericArguments()[0] is var item
                && Of(item, exportOptions, shapes) is { OptionName: not null } allocation => new(name, RowPropertyKind.Allocations, [], allocation),
            _ => null,
        };

    /// <summary>The JSON tokens a copied value of <paramref name="type"/> may start with; null for types not copied.</summary>
    private static JsonTokenType[]? Accepted(Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type);
        var core = underlying ?? type;
        JsonTokenType[]? tokens = core == typeof(string) || core == typeof(Guid) || core == typeof(DateTimeOffset) || core == typeof(DateTime) ? [JsonTokenType.String]
            : core == typeof(bool) ? [JsonTokenType.True, JsonTokenType.False]
            : core.IsPrimitive || core == typeof(decimal) ? [JsonTokenType.Number]
            : !core.IsValueType && typeof(System.Collections.IEnumerable).IsAssignableFrom(core) && !IsContractCollection(core) ? [JsonTokenType.StartArray]
            : null;
        return tokens is null ? null : underlying is not null || !type.IsValueType ? [.. tokens, JsonTokenType.Null] : tokens;
    }

    private static bool IsContractCollection(Type type) =>
        type.IsGenericType && type.GetGenericArguments().Any(ExportContract.Exclusions.ContainsKey);
}
