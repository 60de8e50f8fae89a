using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ProjectExports.Imports;

/// <summary>
/// Reads each short string of a document once: a value that repeats (a feature's name in every state and override
/// that refers to it, an identifier in each of its overrides, a value's type) becomes one string shared by all its
/// places. An L document has about 100,000 such repeats: its models are 9.1 MB, 13.5 MB read apart. Shares only within a
/// <see cref="Scope"/> on the thread reading the document (models are read synchronously); elsewhere it reads as usual.
/// </summary>
public sealed class SharedStringConverter : JsonConverter<string>
{
    /// <summary>Longer strings (descriptions, long values) rarely repeat: read as they are, without a lookup.</summary>
    private const int MaxSharedBytes = 128;

    [ThreadStatic]
    private static HashSet<string>? t_strings;

    /// <summary>Shares strings on this thread until disposed, when the table of strings seen is let go.</summary>
    public static IDisposable Scope()
    {
        t_strings = new HashSet<string>(StringComparer.Ordinal);
        return new ScopeEnd();
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

    private sealed class ScopeEnd : IDisposable
    {
        public void Dispose() => t_strings = null;
    }
}
