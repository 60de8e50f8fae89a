using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using ProjectExports.Http;
using ProjectExports.Jobs;
using ProjectExports.Security;
using ProjectExports.Storage;

namespace ProjectExports.Imports;

/// <summary>The import endpoints, written once for both hosts: HttpRequest in, IResult out, behind the project gate (<see cref="ApiGate"/>).</summary>
public sealed class ImportHttpHandlers(ImportRequests imports, JobStore<ImportRecord> records, IOptions<ImportOptions> options, ImportAdmission admission)
{
    /// <summary>POST …/project-imports: validates the whole document, then stores and queues it (202) or lists every problem (400).</summary>
    public Task<IResult> CreateAsync(HttpRequest request, string projectId, Caller caller) => admission.AdmitAsync(request, async () =>
    {
        var cancellationToken = request.HttpContext.RequestAborted;
        if (!(await ReadAsync(request, cancellationToken)).TryGetValue(out var input, out var problem)) return problem;
        var (check, strategy, size) = input;
        if (!check.IsValid) return InvalidDocument(check.Errors);
        // Planned against the project as it is now, so rows Table Storage could not hold are refused here, not after a 202.
        var dryRun = await imports.DryRunAsync(projectId, check, strategy, cancellationToken);
        if (dryRun is null) return Problems.ProjectNotFound(projectId);
        if (dryRun.Plan is null) return InvalidDocument(dryRun.Validation.Errors);

        // The plan made here is the plan applied: stored with the document, so what was checked is what is written.
        var record = await imports.RequestAsync(projectId, check.Json!, dryRun.Plan, size, strategy, caller, cancellationToken);
        return new JsonResultWithLocation<ImportRecord>(record, ApiJsonContext.Wire.ImportRecord, StatusCodes.Status202Accepted,
            $"{request.PathBase}{request.Path.Value?.TrimEnd('/')}/{record.Id}", RetryAfter.ImportPoll);
    });

    /// <summary>POST …/project-imports/validate: the same input, nothing written; errors, warnings and the summary it would produce.</summary>
    public Task<IResult> ValidateAsync(HttpRequest request, string projectId) => admission.AdmitAsync(request, async () =>
    {
        var cancellationToken = request.HttpContext.RequestAborted;
        if (!(await ReadAsync(request, cancellationToken)).TryGetValue(out var input, out var problem)) return problem;
        var dryRun = await imports.DryRunAsync(projectId, input.Check, input.Strategy, cancellationToken);
        return dryRun is null ? Problems.ProjectNotFound(projectId) : Results.Json(dryRun.Validation, ApiJsonContext.Wire.ImportValidation);
    });

    public async Task<IResult> ListAsync(HttpRequest request, string projectId)
    {
        if (!PageQuery.Parse(request, NewestFirstIds.IsValid).TryGetValue(out var query, out var problem)) return problem;

        var page = await records.ListAsync(projectId, query.After, query.Limit, request.HttpContext.RequestAborted);
        return Results.Json(new ListPage<ImportRecord>(page.Items, ContinuationTokens.Encode(page.ContinueAfter)), ApiJsonContext.Wire.ListPageImportRecord);
    }

    public async Task<IResult> GetAsync(HttpRequest request, string projectId, string importId)
    {
        if (!NewestFirstIds.IsValid(importId))
            return Problems.BadRequest("invalid_import_id", $"The import id is not valid: it has {NewestFirstIds.Rule}.");
        var record = await records.FindAsync(projectId, importId, request.HttpContext.RequestAborted);
        return record is null
            ? Problems.NotFound("import_not_found", $"There is no import '{importId}' in this project, or it has expired.")
            : Results.Json(record, ApiJsonContext.Wire.ImportRecord);
    }

    private async Task<Outcome<(ImportCheck Check, ImportStrategy Strategy, long Size)>> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var query = request.Query.TryGetValue("strategy", out var fromQuery) ? fromQuery.ToString() : null;
        if (fromQuery.Count > 1) return Refused(Problems.BadRequest("ambiguous_query", "The query has more than one 'strategy'; send one."));
        if (query is not null && !ImportStrategies.TryParse(query, out _)) return Refused(InvalidStrategy(query));

        if (!(await ImportUploads.ReadAsync(request, options.Value.MaxDocumentBytes, cancellationToken)).TryGetValue(out var upload, out var problem)) return Refused(problem);
        var text = upload.FormStrategy ?? query ?? "SKIP";
        if (!ImportStrategies.TryParse(text, out var strategy)) return Refused(InvalidStrategy(text));
        if (upload.FormStrategy is not null && query is not null && ImportStrategies.TryParse(query, out var queried) && queried != strategy)
        {
            return Refused(Problems.BadRequest("conflicting_strategy",
                $"The form field 'strategy' ({strategy.ToWireName()}) and the query's ?strategy= ({queried.ToWireName()}) differ; give one, or the same in both."));
        }

        var check = upload.Bytes.LongLength > options.Value.LargeDocumentBytes
            ? await ImportDocumentReader.ReadOnOwnThreadAsync(upload)
            : ImportDocumentReader.Read(upload);
        return (check, strategy, upload.Bytes.LongLength);

        static Outcome<(ImportCheck, ImportStrategy, long)> Refused(IResult problem) => Outcome<(ImportCheck, ImportStrategy, long)>.Refused(problem);
    }

    private static IResult InvalidStrategy(string value) =>
        Problems.BadRequest("invalid_strategy", $"'{Echo.Cut(value, 100)}' is not a strategy: use SKIP or OVERWRITE_DESTRUCTIVE.");

    private static IResult InvalidDocument(IReadOnlyList<ImportIssue> errors) =>
        IssuesProblem.Create(ImportErrors.InvalidDocument, "The import document is not valid.", "The document", "nothing was imported", errors);
}
