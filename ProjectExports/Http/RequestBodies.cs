using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace ProjectExports.Http;

/// <summary>Reads a small JSON body strictly, refusing oversized, mistyped, malformed or not valid Unicode ones with a problem result.</summary>
public static class RequestBodies
{
    public static async Task<Outcome<T>> ReadJsonAsync<T>(
        HttpRequest request, JsonTypeInfo<T> typeInfo, long maxBytes, Func<T> whenEmpty, CancellationToken cancellationToken) where T : notnull
    {
        if (request.ContentLength > maxBytes)
        {
            return Outcome<T>.Refused(TooLarge(maxBytes));
        }
        if (!string.IsNullOrEmpty(request.ContentType)
            && !(MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
                 && (mediaType.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
                     || mediaType.MediaType.Value?.EndsWith("+json", StringComparison.OrdinalIgnoreCase) == true)))
        {
            return Outcome<T>.Refused(Problems.Create(StatusCodes.Status415UnsupportedMediaType, "unsupported_media_type",
                "Unsupported media type.", "Send the body as application/json, or send no body."));
        }

        // Read at most one byte past the limit, whatever Content-Length claimed (chunked bodies have none).
        var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > maxBytes)
            {
                return Outcome<T>.Refused(TooLarge(maxBytes));
            }
        }
        if (buffer.Length == 0 || buffer.ToArray().All(b => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
        {
            return whenEmpty();
        }
        if (UnicodeText.FindInvalidJson(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)) is { } path)
        {
            return Outcome<T>.Refused(Problems.BadRequest("invalid_body", $"The body is not valid at '{path}': {UnicodeText.Rule}."));
        }
        var json = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
        try
        {
            if (CheckFields(json, typeInfo) is { } fieldProblem)
            {
                return Outcome<T>.Refused(Problems.BadRequest("invalid_body", fieldProblem));
            }
            var value = JsonSerializer.Deserialize(json, typeInfo);
            return value is null
                ? Outcome<T>.Refused(Problems.BadRequest("invalid_body", "The body must be a JSON object, not null."))
                : value;
        }
        catch (JsonException e)
        {
            // The parser's message names the position, never the offending value; a field's wrong type is said in
            // JSON's terms, not the serializer's (which names .NET types).
            return Outcome<T>.Refused(Problems.BadRequest("invalid_body", FieldOf(e, typeInfo) is { } field
                ? $"'{field.Name}' must be {JsonKind(field.PropertyType)}."
                : $"The body is not valid: {e.Message}"));
        }
    }

    /// <summary>
    /// An unknown or repeated field, said in the caller's terms: the field as sent and the fields there are (the
    /// serializer would name a .NET type instead). Null when every field is known and appears once.
    /// </summary>
    private static string? CheckFields<T>(ReadOnlySpan<byte> json, JsonTypeInfo<T> typeInfo)
    {
        if (typeInfo.Kind != JsonTypeInfoKind.Object) return null;
        var reader = new Utf8JsonReader(json);
        using var document = JsonDocument.ParseValue(ref reader);
        if (document.RootElement.ValueKind is not JsonValueKind.Object) return null; // the serializer says what it must be
        var allowed = typeInfo.Properties.Select(p => p.Name).ToList();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            var name = Imports.Echo.Cut(property.Name, 100);
            if (!allowed.Contains(property.Name, StringComparer.Ordinal))
            {
                return $"'{name}' is not a field of this body; "
                    + (allowed.Count == 0 ? "it takes no fields." : $"the fields are {string.Join(", ", allowed.Select(a => $"'{a}'"))}.");
            }
            if (!seen.Add(property.Name))
            {
                return $"'{name}' appears more than once; send each field once.";
            }
        }
        return null;
    }

    /// <summary>The known field a serializer error is about (its path is "$.field"), if it is about one.</summary>
    private static JsonPropertyInfo? FieldOf(JsonException e, JsonTypeInfo typeInfo) =>
        e.Path is ['$', '.', .. var path] && typeInfo.Kind == JsonTypeInfoKind.Object
            ? typeInfo.Properties.FirstOrDefault(p => p.Name == path.Split('[')[0]) // "$.features[0]": an item of a list
            : null;

    private static string JsonKind(Type type) => (Nullable.GetUnderlyingType(type) ?? type) switch
    {
        var t when t == typeof(bool) => "true or false",
        var t when t == typeof(string) => "a string",
        var t when t == typeof(int) || t == typeof(long) || t == typeof(double) || t == typeof(decimal) => "a number",
        var t when t == typeof(List<string>) => "an array of strings",
        _ => "a value of another type (see the API description)",
    };

    private static IResult TooLarge(long maxBytes) =>
        Problems.Create(StatusCodes.Status413PayloadTooLarge, "body_too_large", "The body is too large.",
            $"The body may be at most {maxBytes:N0} bytes.");
}
