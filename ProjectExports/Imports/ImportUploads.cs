using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using ProjectExports.Http;

namespace ProjectExports.Imports;

/// <summary>
/// Reads an import document from a request: the raw body (JSON, or YAML when the Content-Type says so), or a
/// multipart form with the document in field <c>file</c> (YAML when the file is .yml/.yaml or its part says so,
/// JSON when .json or its part says so) and optionally <c>strategy</c>, <c>environment_map</c> and <c>environments</c> (repeatable). A document whose format nothing declares
/// (a file named export.txt, a body without Content-Type) is told by its content. Bytes are counted as they
/// arrive, whatever Content-Length claims.
/// </summary>
public static class ImportUploads
{
    private const int MaxFormFieldBytes = 1024;

    /// <summary>The form field (and query parameter) naming the plan a caller reviewed.</summary>
    public const string PlanIdName = "plan_id";
    private const int MaxFormOverheadBytes = 64 * 1024;

    public static async Task<Outcome<ImportUpload>> ReadAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType);
        var multipart = mediaType?.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase) == true;
        // A form carries its document plus boundaries, headers and the strategy field.
        if (request.ContentLength > maxBytes + (multipart ? MaxFormOverheadBytes : 0))
        {
            return TooLarge(maxBytes);
        }
        if (multipart)
        {
            return await ReadMultipartAsync(request, mediaType!, maxBytes, cancellationToken).ConfigureAwait(false);
        }
        if (mediaType is not null && !IsJson(mediaType.MediaType.Value) && !IsYaml(mediaType.MediaType.Value))
        {
            return Refused(Problems.Create(StatusCodes.Status415UnsupportedMediaType, "unsupported_media_type", "Unsupported media type.",
                "Send the document as application/json, application/yaml, or multipart/form-data with the file in field 'file'."));
        }
        var bytes = await ReadLimitedAsync(request.Body, maxBytes, cancellationToken, request.ContentLength).ConfigureAwait(false);
        return bytes is null ? TooLarge(maxBytes) : Upload(bytes, mediaType is null ? null : IsYaml(mediaType.MediaType.Value), null);
    }

    private static async Task<Outcome<ImportUpload>> ReadMultipartAsync(
        HttpRequest request, MediaTypeHeaderValue mediaType, long maxBytes, CancellationToken cancellationToken)
    {
        var boundary = HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value;
        if (string.IsNullOrEmpty(boundary))
        {
            return Refused(Problems.BadRequest("invalid_multipart", "The multipart/form-data Content-Type has no boundary."));
        }
        var reader = new MultipartReader(boundary, request.Body);
        byte[]? file = null;
        bool? isYaml = null;
        string? strategy = null;
        string? planId = null;
        string? environmentMap = null;
        List<string>? environments = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        // One budget for the whole form: every part counts, whatever its name, so a form cannot carry more than
        // the document limit in several parts.
        var remaining = maxBytes + MaxFormOverheadBytes;
        try
        {
            for (var section = await reader.ReadNextSectionAsync(cancellationToken).ConfigureAwait(false);
                 section is not null;
                 section = await reader.ReadNextSectionAsync(cancellationToken).ConfigureAwait(false))
            {
                ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition);
                var name = disposition is null ? null : HeaderUtilities.RemoveQuotes(disposition.Name).Value;
                if (name is "file" or "strategy" or PlanIdName or ImportEnvironmentOptions.MapName && !seen.Add(name))
                {
                    // Which one was meant cannot be known: refused rather than guessed.
                    return Refused(Problems.BadRequest("ambiguous_form", $"The multipart form has more than one field '{name}'; send one."));
                }
                if (name == "file")
                {
                    file = await ReadLimitedAsync(section.Body, Math.Min(maxBytes, remaining), cancellationToken).ConfigureAwait(false);
                    if (file is null)
                    {
                        return TooLarge(maxBytes);
                    }
                    remaining -= file.Length;
                    var fileName = HeaderUtilities.RemoveQuotes(disposition!.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value ?? "";
                    var partType = MediaTypeHeaderValue.TryParse(section.ContentType, out var parsed) ? parsed.MediaType.Value : null;
                    isYaml = fileName.EndsWith(".yml", StringComparison.OrdinalIgnoreCase) || fileName.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || IsYaml(partType)
                        ? true
                        : fileName.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || IsJson(partType) ? false : null;
                }
                else if (name is "strategy" or PlanIdName)
                {
                    var value = await ReadLimitedAsync(section.Body, Math.Min(MaxFormFieldBytes, remaining), cancellationToken).ConfigureAwait(false);
                    remaining -= value?.Length ?? 0;
                    if (value is not null && !System.Text.Unicode.Utf8.IsValid(value))
                    {
                        return Refused(Problems.BadRequest($"invalid_{name}", $"The form field '{name}' is not valid Unicode: {UnicodeText.Rule}."));
                    }
                    // Over the field limit reads as empty: no strategy or plan id is that long, so it is refused as not one.
                    var text = value is null ? "" : System.Text.Encoding.UTF8.GetString(value).Trim();
                    if (name == PlanIdName) planId = text;
                    else strategy = text;
                }
                else if (name is ImportEnvironmentOptions.MapName or ImportEnvironmentOptions.EnvironmentsName)
                {
                    // Room for a map of many names; one name is at most ImportValidator.MaxNameLength characters of up to 3 bytes.
                    var limit = name == ImportEnvironmentOptions.MapName ? ImportEnvironmentOptions.MaxStoredBytes : 3 * ImportValidator.MaxNameLength;
                    var value = await ReadLimitedAsync(section.Body, Math.Min(limit, remaining), cancellationToken).ConfigureAwait(false);
                    if (value is null || !System.Text.Unicode.Utf8.IsValid(value))
                    {
                        return Refused(Problems.BadRequest($"invalid_{name}", value is null
                            ? $"A form field '{name}' is over {Math.Min(limit, remaining):N0} bytes."
                            : $"A form field '{name}' is not valid Unicode: {UnicodeText.Rule}."));
                    }
                    remaining -= value.Length;
                    var text = System.Text.Encoding.UTF8.GetString(value);
                    if (name == ImportEnvironmentOptions.MapName) environmentMap = text;
                    else (environments ??= []).Add(text);
                }
                else
                {
                    // Parts we do not know are read past, not kept, but still count against the budget.
                    remaining -= await DrainAsync(section.Body, remaining, cancellationToken).ConfigureAwait(false);
                }
                if (remaining < 0)
                {
                    return TooLarge(maxBytes);
                }
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge(maxBytes); // the server's own request size limit
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            return Refused(Problems.BadRequest("invalid_multipart", $"The multipart body is not valid: {e.Message}"));
        }
        return file is null
            ? Refused(Problems.BadRequest("missing_file", "The multipart form has no field 'file' holding the document."))
            : Upload(file, isYaml, strategy) with { FormEnvironmentMap = environmentMap, FormEnvironments = environments, FormPlanId = planId };
    }

    /// <summary>
    /// The upload, in the declared format or else the one its content shows: a JSON document starts with '{' or '['
    /// (after any byte order mark and white space), an export in YAML never does.
    /// </summary>
    private static ImportUpload Upload(byte[] bytes, bool? declaredYaml, string? strategy)
    {
        if (declaredYaml is { } yaml) return new ImportUpload(bytes, yaml, strategy);
        var text = bytes.AsSpan();
        if (text.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) text = text[3..];
        text = text.TrimStart(" \t\r\n"u8);
        return new ImportUpload(bytes, IsYaml: text.IsEmpty || text[0] is not ((byte)'{' or (byte)'['), strategy, FormatFromContent: true);
    }

    /// <summary>Reads a stream to its end without keeping it; returns how many bytes it had, stopping once past <paramref name="budget"/>.</summary>
    internal static async Task<long> DrainAsync(Stream body, long budget, CancellationToken cancellationToken)
    {
        var chunk = new byte[81920];
        long total = 0;
        int read;
        while (total <= budget && (read = await body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            total += read;
        }
        return total;
    }

    /// <summary>
    /// The stream's bytes, or null as soon as there are more than <paramref name="maxBytes"/>. Sized from the
    /// announced length when there is one, so a large document is held once rather than grown by doubling and copied.
    /// </summary>
    private static async Task<byte[]?> ReadLimitedAsync(Stream body, long maxBytes, CancellationToken cancellationToken, long? expectedBytes = null)
    {
        using var buffer = new MemoryStream(expectedBytes is > 0 and var expected && expected <= maxBytes ? (int)expected : 0);
        var chunk = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return null;
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.Length == buffer.Capacity ? buffer.GetBuffer() : buffer.ToArray();
    }

    private static bool IsJson(string? mediaType) =>
        mediaType is not null && (mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase));

    private static bool IsYaml(string? mediaType) =>
        mediaType is "application/yaml" or "application/x-yaml" or "text/yaml" or "text/x-yaml";

    private static Outcome<ImportUpload> TooLarge(long maxBytes) =>
        Refused(Problems.Create(StatusCodes.Status413PayloadTooLarge, "body_too_large", "The document is too large.",
            $"An import document may be at most {maxBytes:N0} bytes."));

    private static Outcome<ImportUpload> Refused(IResult problem) => Outcome<ImportUpload>.Refused(problem);
}
