using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using ProjectExports.Http;
using ProjectExports.Security;
using ProjectExports.Storage;

namespace ProjectExports.Imports;

/// <summary>The import endpoints, written once for both hosts: HttpRequest in, IResult out.</summary>
public sealed class ImportHttpHandlers(ProjectAccess access, ImportRequests imports, ImportRecordStore records, IOptions<ImportOptions> options, ImportAdmission admission)
{
    /// <summary>POST …/project-imports: validates the whole document, then stores and queues it (202) or lists every problem (400).</summary>
    public Task<IResult> CreateAsync(HttpRequest request, string projectId) => access.GuardAsync(request, projectId, (caller, cancellationToken) => admission.AdmitAsync(request, async () =>
    {
        var (input, problem) = await ReadAsync(request, cancellationToken);
        if (problem is not null) return problem;
        var (check, strategy, size) = input!.Value;
        if (!check.IsValid) return InvalidDocument(check.Errors);
        // Planned against the project as it is now, so rows Table Storage could not hold are refused here, not after a 202.
        var dryRun = await imports.DryRunAsync(projectId, check, strategy, cancellationToken);
        if (dryRun is null) return Problems.ProjectNotFound(projectId);
        if (dryRun.Plan is null) return InvalidDocument(dryRun.Validation.Errors);

        // The plan made here is the plan applied: stored with the document, so what was checked is what is written.
        var record = await imports.RequestAsync(projectId, check.Json!, dryRun.Plan, size, strategy, caller, cancellationToken);
        return new JsonResultWithLocation<ImportRecord>(record, ApiJsonContext.Wire.ImportRecord, StatusCodes.Status202Accepted,
            $"{request.PathBase}{request.Path.Value?.TrimEnd('/')}/{record.Id}", RetryAfter.ImportPoll);
    }));

    /// <summary>POST …/project-imports/validate: the same input, nothing written; errors, warnings and the summary it would produce.</summary>
    public Task<IResult> ValidateAsync(HttpRequest request, string projectId) => access.GuardAsync(request, projectId, (_, cancellationToken) => admission.AdmitAsync(request, async () =>
    {
        var (input, problem) = await ReadAsync(request, cancellationToken);
        if (problem is not null) return problem;
        var (check, strategy, _) = input!.Value;
        var dryRun = await imports.DryRunAsync(projectId, check, strategy, cancellationToken);
        return dryRun is null ? Problems.ProjectNotFound(projectId) : Results.Json(dryRun.Validation, ApiJsonContext.Wire.ImportValidation);
    }));

    public Task<IResult> ListAsync(HttpRequest request, string projectId) => access.GuardAsync(request, projectId, async (_, cancellationToken) =>
    {
        var (query, problem) = PageQuery.Parse(request, NewestFirstIds.IsValid);
        if (problem is not null) return problem;

        var page = await records.ListAsync(projectId, query!.After, query.Limit, cancellationToken);
        return Results.Json(new ListPage<ImportRecord>(page.Items, ContinuationTokens.Encode(page.ContinueAfter)), ApiJsonContext.Wire.ListPageImportRecord);
    });

    public Task<IResult> GetAsync(HttpRequest request, string projectId, string importId) => access.GuardAsync(request, projectId, async (_, cancellationToken) =>
    {
        if (!NewestFirstIds.IsValid(importId))
            return Problems.BadRequest("invalid_import_id", $"The import id is not valid: it has {NewestFirstIds.Rule}.");
        var record = await imports.FindAsync(projectId, importId, cancellationToken);
        return record is null
            ? Problems.NotFound("import_not_found", $"There is no import '{importId}' in this project, or it has expired.")
            : Results.Json(record, ApiJsonContext.Wire.ImportRecord);
    });

    private async Task<((ImportCheck Check, ImportStrategy Strategy, long Size)? Input, IResult? Problem)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var query = request.Query.TryGetValue("strategy", out var fromQuery) ? fromQuery.ToString() : null;
        if (fromQuery.Count > 1) return (null, Problems.BadRequest("ambiguous_query", "The query has more than one 'strategy'; send one."));
        if (query is not null && !ImportStrategies.TryParse(query, out _)) return (null, InvalidStrategy(query));

        var (upload, problem) = await ImportUploads.ReadAsync(request, options.Value.MaxDocumentBytes, cancellationToken);
        if (problem is not null) return (null, problem);
        var text = upload!.FormStrategy ?? query ?? "SKIP";
        if (!ImportStrategies.TryParse(text, out var strategy)) return (null, InvalidStrategy(text));
        if (upload.FormStrategy is not null && query is not null && ImportStrategies.TryParse(query, out var queried) && queried != strategy)
        {
            return (null, Problems.BadRequest("conflicting_strategy",
                $"The form field 'strategy' ({strategy.ToWireName()}) and the query's ?strategy= ({queried.ToWireName()}) differ; give one, or the same in both."));
        }

        return ((ImportDocumentReader.Read(upload), strategy, upload.Bytes.LongLength), null);
    }

    private static IResult InvalidStrategy(string value) =>
        Problems.BadRequest("invalid_strategy", $"'{Echo.Cut(value, 100)}' is not a strategy: use SKIP or OVERWRITE_DESTRUCTIVE.");

    /// <summary>400 with every problem in an <c>errors</c> extension, serialized by the import contract (snake_case).</summary>
    private static IResult InvalidDocument(IReadOnlyList<ImportIssue> errors) =>
        Results.Problem(
            detail: $"The document has {errors.Count} problem{(errors.Count == 1 ? "" : "s")}; nothing was imported. See 'errors'.",
            statusCode: StatusCodes.Status400BadRequest,
            title: "The import document is not valid.",
            type: $"urn:project-exports:problem:{ImportErrors.InvalidDocument}",
            extensions: new Dictionary<string, object?>
            {
                ["code"] = ImportErrors.InvalidDocument,
                ["errors"] = JsonSerializer.SerializeToElement(errors.ToList(), ApiJsonContext.Wire.ListImportIssue),
            });
}
