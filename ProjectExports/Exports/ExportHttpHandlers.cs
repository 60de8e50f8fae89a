using Azure;
using Azure.Storage.Blobs;
using Microsoft.AspNetCore.Http;
using ProjectExports.Http;
using ProjectExports.Jobs;
using ProjectExports.Security;
using ProjectExports.Storage;

namespace ProjectExports.Exports;

/// <summary>The export endpoints, written once for both hosts: HttpRequest in, IResult out, behind the project gate (<see cref="ApiGate"/>).</summary>
public sealed class ExportHttpHandlers(
    ExportRequests exports,
    ExportSelectionCheck selections,
    JobStore<ExportRecord> records,
    StorageClients clients)
{
    /// <summary>
    /// The create body holds two booleans and at most a thousand or so names; anything larger is not a create request.
    /// (The record stores the names in one 64 KiB property, which their JSON from a body this size always fits.)
    /// </summary>
    public const long MaxCreateBodyBytes = 32_000;

    public async Task<IResult> CreateAsync(HttpRequest request, string projectId, Caller caller)
    {
        var cancellationToken = request.HttpContext.RequestAborted;
        var read = await RequestBodies.ReadJsonAsync(request, ApiJsonContext.Wire.CreateExportRequest, MaxCreateBodyBytes, () => new CreateExportRequest(), cancellationToken);
        if (!read.TryGetValue(out var body, out var problem)) return problem;

        if (!ExportFormats.TryParse(body.Format, out var format))
        {
            return Problems.BadRequest("invalid_body", $"'format' must be one of {ExportFormats.Names}, not '{Imports.Echo.Cut(body.Format, 100)}'.");
        }
        if (format == ExportFormat.Flagd && body.Environments is not { Count: 1 })
        {
            return Problems.BadRequest("invalid_body", "A flagd export holds exactly one environment: name it in 'environments' (one name).");
        }
        if (!(await selections.CheckAsync(projectId, body, cancellationToken)).TryGetValue(out var selection, out problem)) return problem;

        var record = await exports.RequestAsync(projectId, selection, format, caller, cancellationToken);
        return new JsonResultWithLocation<ExportRecord>(record, ApiJsonContext.Wire.ExportRecord, StatusCodes.Status202Accepted,
            $"{request.PathBase}{request.Path.Value?.TrimEnd('/')}/{record.Id}", RetryAfter.ExportPoll);
    }

    public async Task<IResult> ListAsync(HttpRequest request, string projectId)
    {
        if (!PageQuery.Parse(request, ExportIds.IsValid).TryGetValue(out var query, out var problem)) return problem;

        var page = await records.ListAsync(projectId, query.After, query.Limit, request.HttpContext.RequestAborted);
        return Results.Json(new ListPage<ExportRecord>(page.Items, ContinuationTokens.Encode(page.ContinueAfter)), ApiJsonContext.Wire.ListPageExportRecord);
    }

    public async Task<IResult> GetAsync(HttpRequest request, string projectId, string exportId) =>
        (await FindAsync(projectId, exportId, request.HttpContext.RequestAborted)).TryGetValue(out var record, out var problem)
            ? Results.Json(record, ApiJsonContext.Wire.ExportRecord)
            : problem;

    public async Task<IResult> DownloadAsync(HttpRequest request, string projectId, string exportId)
    {
        var cancellationToken = request.HttpContext.RequestAborted;
        if (!(await FindAsync(projectId, exportId, cancellationToken)).TryGetValue(out var record, out var problem)) return problem;
        if (record.Status != JobStatus.Success)
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
    }

    private async Task<Outcome<ExportRecord>> FindAsync(string projectId, string exportId, CancellationToken cancellationToken)
    {
        if (!ExportIds.IsValid(exportId)) return Outcome<ExportRecord>.Refused(Problems.BadRequest("invalid_export_id", $"The export id is not valid: it has {ExportIds.Rule}."));
        var found = await records.FindAsync(projectId, exportId, cancellationToken);
        return found is not null ? found : Outcome<ExportRecord>.Refused(ExportNotFound(exportId));
    }

    private static IResult ExportNotFound(string exportId) =>
        Problems.NotFound("export_not_found", $"There is no export '{exportId}' in this project, or it has expired.");
}
