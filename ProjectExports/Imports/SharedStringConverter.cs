using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ProjectExports.Imports;

/// <summary>
/// Reads each short string of a document once: a value that repeats (a feature's name in every state and override
/// that refers to it, an identifier in each of its overrides, a value's type) becomes one string shared by all its
/// places. One L environment's sections read into 1.7 MB of models so, 2.4 MB apart. Shares only within a
/// <see cref="Scope"/> (a document's parts outside its environments' sections, or one environment's sections) on the
/// thread reading them (models are read synchronously); elsewhere it reads as usual.
/// </summary>
public sealed class SharedStringConverter : JsonConverter<string>
{
    /// <summary>Longer strings (descriptions, long values) rarely repeat: read as they are, without a lookup.</summary>
    private const int MaxSharedBytes = 128;

    [ThreadStatic]
    private static HashSet<string>? t_strings;

    /// <summary>Shares strings on this thread until disposed, when the table of strings seen is let go (and an enclosing scope's is back).</summary>
    public static IDisposable Scope()
    {
        var enclosing = t_strings;
        t_strings = new HashSet<string>(StringComparer.Ordinal);
        return new ScopeEnd(enclosing);
    }

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (t_strings is not { } strings || reader.TokenType != JsonTokenType.String || reader.HasValueSequence || reader.ValueIsEscaped
            || reader.ValueSpan.Length > MaxSharedBytes)
        {
            return reader.GetString();
        }
        Span<char> chars = stackalloc char[MaxSharedBytes];
        var text = chars[..Encoding.UTF8.GetChars(reader.ValueSpan, chars)];
        if (strings.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(text, out var shared)) return shared;
        var value = new string(text);
        strings.Add(value);
        return value;
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);

    private sealed class ScopeEnd(HashSet<string>? enclosing) : IDisposable
    {
        public void Dispose() => t_strings = enclosing;
    }
}
