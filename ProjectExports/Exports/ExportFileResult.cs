using Microsoft.AspNetCore.Http;

namespace ProjectExports.Exports;

/// <summary>
/// Streams an export file from its blob as an attachment. Repr-Digest (RFC 9530) carries the SHA-256 the
/// record holds, so a client can check the file without a second request.
/// </summary>
public sealed class ExportFileResult(Stream content, long length, ExportRecord record) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        await using (content)
        {
            var response = httpContext.Response;
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = record.Format.MediaType();
            response.ContentLength = length;
            response.Headers.ContentDisposition = $"attachment; filename=\"{record.FileName}\"";
            if (record.Sha256 is { } sha)
            {
                response.Headers["Repr-Digest"] = $"sha-256=:{Convert.ToBase64String(Convert.FromHexString(sha))}:";
            }
            await content.CopyToAsync(response.Body, httpContext.RequestAborted).ConfigureAwait(false);
        }
    }
}
