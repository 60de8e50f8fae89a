using Azure;
using Azure.Storage.Blobs;
using Microsoft.AspNetCore.Http;
using ProjectExports.Http;
using ProjectExports.Jobs;
using ProjectExports.Security;
using ProjectExports.Storage;

namespace ProjectExports.Exports;

/// <summary>The export endpoints, written once for both hosts: HttpRequest in, IResult out.</summary>
public sealed class ExportHttpHandlers(
    ProjectAccess access,
    ExportRequests exports,
    JobStore<ExportRecord> records,
    StorageClients clients)
{
    /// <summary>The create body holds two booleans; anything near this size is not a create request.</summary>
    public const long MaxCreateBodyBytes = 16 * 1024;

    public Task<IResult> CreateAsync(HttpRequest request, string projectId) => access.GuardAsync(request, projectId, async (caller, cancellationToken) =>
    {
        var (body, problem) = await RequestBodies.ReadJsonAsync(request, ApiJsonContext.Wire.CreateExportRequest, MaxCreateBodyBytes, () => new CreateExportRequest(), cancellationToken);
        if (problem is not null) return problem;

        if (!ExportFormats.TryParse(body!.Format, out var format))
        {
            return Problems.BadRequest("invalid_body", $"'format' must be one of {ExportFormats.Names}, not '{Imports.Echo.Cut(body.Format, 100)}'.");
        }

        var record = await exports.RequestAsync(projectId, new ExportSelection(body.IncludeTags, body.IncludeIdentityOverrides), format, caller, cancellationToken);
        return new JsonResultWithLocation<ExportRecord>(record, ApiJsonContext.Wire.ExportRecord, StatusCodes.Status202Accepted,
            $"{request.PathBase}{request.Path.Value?.TrimEnd('/')}/{record.Id}", RetryAfter.ExportPoll);
    });

    public Task<IResult> ListAsync(HttpRequest request, string projectId) => access.GuardAsync(request, projectId, async (_, cancellationToken) =>
    {
        var (query, problem) = PageQuery.Parse(request, ExportIds.IsValid);
        if (problem is not null) return problem;

        var page = await records.ListAsync(projectId, query!.After, query.Limit, cancellationToken);
        return Results.Json(new ListPage<ExportRecord>(page.Items, ContinuationTokens.Encode(page.ContinueAfter)), ApiJsonContext.Wire.ListPageExportRecord);
    });

    public Task<IResult> GetAsync(HttpRequest request, string projectId, string exportId) => access.GuardAsync(request, projectId, async (_, cancellationToken) =>
    {
        var (found, problem) = await FindAsync(projectId, exportId, cancellationToken);
        return problem ?? Results.Json(found!, ApiJsonContext.Wire.ExportRecord);
    });

    public Task<IResult> DownloadAsync(HttpRequest request, string projectId, string exportId) => access.GuardAsync(request, projectId, async (_, cancellationToken) =>
    {
        var (record, problem) = await FindAsync(projectId, exportId, cancellationToken);
        if (problem is not null) return problem;
        if (record!.Status != JobStatus.Success)
        {
            var notReady = Problems.Create(StatusCodes.Status409Conflict, "export_not_ready", "The export cannot be downloaded.",
                $"Unable to download export with status '{record.Status.ToString().ToUpperInvariant()}'.");
            // Only a PROCESSING export is worth asking for again; a FAILED one never becomes ready.
            return record.Status == JobStatus.Processing ? RetryAfter.With(notReady, RetryAfter.ExportPoll) : notReady;
        }
        var blob = clients.Blobs.GetBlobContainerClient(StorageNames.ExportContainer).GetBlobClient(record.BlobName);
        try
        {
            var download = await blob.DownloadStreamingAsync(cancellationToken: cancellationToken);
            return new ExportFileResult(download.Value.Content, download.Value.Details.ContentLength, record);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return ExportNotFound(exportId);
        }
    });

    private async Task<(ExportRecord? Record, IResult? Problem)> FindAsync(string projectId, string exportId, CancellationToken cancellationToken)
    {
        if (!ExportIds.IsValid(exportId)) return (null, Problems.BadRequest("invalid_export_id", $"The export id is not valid: it has {ExportIds.Rule}."));
        var found = await records.FindAsync(projectId, exportId, cancellationToken);
        return found is not null ? (found, null) : (null, ExportNotFound(exportId));
    }

    private static IResult ExportNotFound(string exportId) =>
        Problems.NotFound("export_not_found", $"There is no export '{exportId}' in this project, or it has expired.");
}
