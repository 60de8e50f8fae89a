using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using ProjectExports.Imports;

namespace ProjectExports.Http;

/// <summary>
/// The one rule for text that is not valid Unicode, wherever a body or document is read: bytes that are not UTF-8
/// and unpaired surrogate escapes (<c>"\ud800"</c>) are refused with the JSON Pointer of the string or name that
/// holds them, never replaced by U+FFFD (which would store something the caller did not send) nor passed on to
/// fail later when the text is written out.
/// </summary>
public static class UnicodeText
{
    public const string Rule = "text must be valid UTF-8, without unpaired surrogate escapes (\\ud800 to \\udfff)";

    /// <summary>The JSON Pointer of the first string or property name that is not valid Unicode, or null when all are
    /// (or when the JSON is malformed: its parser reports that). Names in the pointer show bad parts as U+FFFD.</summary>
    public static string? FindInvalidJson(ReadOnlySpan<byte> json)
    {
        if (Utf8.IsValid(json) && !HasSurrogateEscape(json))
        {
            return null; // the common case, one vectorized pass
        }
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 64 });
        var path = new List<(bool IsArray, int Index, string Name)>();
        try
        {
            while (reader.Read())
            {
                if (path.Count > 0 && path[^1].IsArray && reader.TokenType is not (JsonTokenType.EndArray or JsonTokenType.EndObject))
                {
                    path[^1] = path[^1] with { Index = path[^1].Index + 1 };
                }
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        path.Add((false, -1, ""));
                        break;
                    case JsonTokenType.StartArray:
                        path.Add((true, -1, ""));
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        path.RemoveAt(path.Count - 1);
                        break;
                    case JsonTokenType.PropertyName:
                        var valid = IsValid(ref reader);
                        path[^1] = path[^1] with { Name = valid ? reader.GetString()! : Encoding.UTF8.GetString(reader.ValueSpan) };
                        if (!valid) return Pointer(path);
                        break;
                    case JsonTokenType.String when !IsValid(ref reader):
                        return Pointer(path);
                }
            }
        }
        catch (JsonException)
        {
            return null;
        }
        return null;
    }

    /// <summary>True when <paramref name="text"/> has no unpaired surrogate.</summary>
    public static bool IsWellFormed(ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (!char.IsSurrogate(text[i])) continue;
            if (!char.IsHighSurrogate(text[i]) || i + 1 == text.Length || !char.IsLowSurrogate(text[i + 1])) return false;
            i++;
        }
        return true;
    }

    private static bool IsValid(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped)
        {
            return Utf8.IsValid(reader.ValueSpan);
        }
        try
        {
            return IsWellFormed(reader.GetString());
        }
        catch (InvalidOperationException)
        {
            return false; // the reader refuses to transcode invalid UTF-8 or an unpaired surrogate escape
        }
    }

    /// <summary>Surrogate escapes are \uD800 to \uDFFF; pairs are checked on the slow path, lone ones refused there.</summary>
    private static bool HasSurrogateEscape(ReadOnlySpan<byte> json) =>
        json.IndexOf("\\ud"u8) >= 0 || json.IndexOf("\\uD"u8) >= 0;

    private static string Pointer(List<(bool IsArray, int Index, string Name)> path) =>
        path.Aggregate("", (pointer, step) => step.IsArray ? JsonPointer.Append(pointer, step.Index) : JsonPointer.Append(pointer, step.Name));
}
