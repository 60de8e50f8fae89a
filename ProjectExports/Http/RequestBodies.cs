using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace ProjectExports.Http;

/// <summary>Reads a small JSON body strictly, refusing oversized, mistyped, malformed or not valid Unicode ones with a problem result.</summary>
public static class RequestBodies
{
    public static async Task<(T? Value, IResult? Problem)> ReadJsonAsync<T>(
        HttpRequest request, JsonTypeInfo<T> typeInfo, long maxBytes, Func<T> whenEmpty, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            return (default, TooLarge(maxBytes));
        }
        if (!string.IsNullOrEmpty(request.ContentType)
            && !(MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
                 && (mediaType.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
                     || mediaType.MediaType.Value?.EndsWith("+json", StringComparison.OrdinalIgnoreCase) == true)))
        {
            return (default, Problems.Create(StatusCodes.Status415UnsupportedMediaType, "unsupported_media_type",
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
                return (default, TooLarge(maxBytes));
            }
        }
        if (buffer.Length == 0 || buffer.ToArray().All(b => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
        {
            return (whenEmpty(), null);
        }
        if (UnicodeText.FindInvalidJson(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)) is { } path)
        {
            return (default, Problems.BadRequest("invalid_body", $"The body is not valid at '{path}': {UnicodeText.Rule}."));
        }
        try
        {
            var value = JsonSerializer.Deserialize(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), typeInfo);
            return value is null
                ? (default, Problems.BadRequest("invalid_body", "The body must be a JSON object, not null."))
                : (value, null);
        }
        catch (JsonException e)
        {
            // The serializer's message names the path and position, never the offending value.
            return (default, Problems.BadRequest("invalid_body", $"The body is not valid: {e.Message}"));
        }
    }

    private static IResult TooLarge(long maxBytes) =>
        Problems.Create(StatusCodes.Status413PayloadTooLarge, "body_too_large", "The body is too large.",
            $"The body may be at most {maxBytes:N0} bytes.");
}
