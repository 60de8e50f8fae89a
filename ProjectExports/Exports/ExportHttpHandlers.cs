using Azure;
using Azure.Storage.Blobs;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using ProjectExports.Http;
using ProjectExports.Projects;
using ProjectExports.Storage;

namespace ProjectExports.Exports;

/// <summary>The export endpoints, written once for both hosts: HttpRequest in, IResult out.</summary>
public sealed class ExportHttpHandlers(
    ExportRequests exports,
    ExportRecordStore records,
    ProjectStore projects,
    StorageClients clients,
    ILogger<ExportHttpHandlers> logger)
{
    /// <summary>The create body holds two booleans; anything near this size is not a create request.</summary>
    public const long MaxCreateBodyBytes = 16 * 1024;

    public Task<IResult> CreateAsync(HttpRequest request, string projectId) => HttpHandling.GuardAsync(logger, async () =>
    {
        var cancellationToken = request.HttpContext.RequestAborted;
        if (!ProjectIds.IsValid(projectId)) return Problems.InvalidProjectId();
        var (body, problem) = await RequestBodies.ReadJsonAsync(request, ApiJsonContext.Default.CreateExportRequest, MaxCreateBodyBytes, () => new CreateExportRequest(), cancellationToken);
        if (problem is not null) return problem;
        if (await projects.GetProjectAsync(projectId, cancellationToken) is null) return Problems.ProjectNotFound(projectId);

        var record = await exports.RequestAsync(projectId, new ExportSelection(body!.IncludeTags, body.IncludeIdentityOverrides), null, null, cancellationToken);
        return new JsonResultWithLocation<ExportRecord>(record, ApiJsonContext.Default.ExportRecord, StatusCodes.Status202Accepted, $"{request.PathBase}{request.Path.Value?.TrimEnd('/')}/{record.Id}");
    });

    public Task<IResult> ListAsync(HttpRequest request, string projectId) => HttpHandling.GuardAsync(logger, async () =>
    {
        var cancellationToken = request.HttpContext.RequestAborted;
        if (!ProjectIds.IsValid(projectId)) return Problems.InvalidProjectId();
        var (query, problem) = PageQuery.Parse(request, ExportIds.IsValid);
        if (problem is not null) return problem;
        if (await projects.GetProjectAsync(projectId, cancellationToken) is null) return Problems.ProjectNotFound(projectId);

        var page = await records.ListAsync(projectId, query!.After, query.Limit, cancellationToken);
        return Results.Json(new ListPage<ExportRecord>(page.Items, ContinuationTokens.Encode(page.ContinueAfter)), ApiJsonContext.Default.ListPageExportRecord);
    });

    public Task<IResult> GetAsync(HttpRequest request, string projectId, string exportId) => HttpHandling.GuardAsync(logger, async () =>
    {
        var (found, problem) = await FindAsync(projectId, exportId, request.HttpContext.RequestAborted);
        return problem ?? Results.Json(found!, ApiJsonContext.Default.ExportRecord);
    });

    public Task<IResult> DownloadAsync(HttpRequest request, string projectId, string exportId) => HttpHandling.GuardAsync(logger, async () =>
    {
        var cancellationToken = request.HttpContext.RequestAborted;
        var (record, problem) = await FindAsync(projectId, exportId, cancellationToken);
        if (problem is not null) return problem;
        if (record!.Status != ExportStatus.Success)
        {
            return Problems.Create(StatusCodes.Status409Conflict, "export_not_ready", "The export cannot be downloaded.",
                $"Unable to download export with status '{record.Status.ToWireName()}'.");
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
        if (!ProjectIds.IsValid(projectId)) return (null, Problems.InvalidProjectId());
        if (!ExportIds.IsValid(exportId)) return (null, Problems.BadRequest("invalid_export_id", $"The export id is not valid: it has {ExportIds.Rule}."));
        if (await projects.GetProjectAsync(projectId, cancellationToken) is null) return (null, Problems.ProjectNotFound(projectId));
        var found = await exports.FindAsync(projectId, exportId, cancellationToken);
        return found is { } f ? (f.Record, null) : (null, ExportNotFound(exportId));
    }

    private static IResult ExportNotFound(string exportId) =>
        Problems.NotFound("export_not_found", $"There is no export '{exportId}' in this project, or it has expired.");
}
