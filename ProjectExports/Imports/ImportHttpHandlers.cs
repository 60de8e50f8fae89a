using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using ProjectExports.Http;
using ProjectExports.Jobs;
using ProjectExports.Security;
using ProjectExports.Storage;

namespace ProjectExports.Imports;

/// <summary>The import endpoints, written once for both hosts: HttpRequest in, IResult out, behind the project gate (<see cref="ApiGate"/>).</summary>
public sealed class ImportHttpHandlers(
    ImportRequests imports, ImportReverts reverts, JobStore<ImportRecord> records, IOptions<ImportOptions> options, ImportAdmission admission)
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
        if (!NewestFirstIds.IsValid(importId)) return InvalidImportId();
        var record = await records.FindAsync(projectId, importId, request.HttpContext.RequestAborted);
        return record is null ? ImportNotFound(importId) : Results.Json(record, ApiJsonContext.Wire.ImportRecord);
    }

    /// <summary>
    /// POST …/project-imports/{importId}/revert[?force=true]: checks now that the import finished, has something to
    /// put back and that nothing it wrote changed since (else 409 naming the entities, unless forced), then records and
    /// queues the revert (202). Its apply step checks again, since the project may change before it runs.
    /// </summary>
    public async Task<IResult> RevertAsync(HttpRequest request, string projectId, string importId, Caller caller)
    {
        var cancellationToken = request.HttpContext.RequestAborted;
        if (!NewestFirstIds.IsValid(importId)) return InvalidImportId();
        if (request.Query.TryGetValue("force", out var forced) && forced.Count > 1)
            return Problems.BadRequest("ambiguous_query", "The query has more than one 'force'; send one.");
        var force = false;
        if (forced.Count == 1 && !bool.TryParse(forced.ToString(), out force))
            return Problems.BadRequest("invalid_force", $"'{Echo.Cut(forced.ToString(), 20)}' is not a value of 'force': use true or false.");

        var reverted = await records.FindAsync(projectId, importId, cancellationToken);
        if (reverted is null) return ImportNotFound(importId);
        if (reverted.Status == JobStatus.Processing)
            return Problems.Create(StatusCodes.Status409Conflict, ImportErrors.NotFinished, "The import has not finished.",
                $"Import '{importId}' is still PROCESSING; revert it once it has finished.");
        var check = await reverts.CheckAsync(reverted, cancellationToken);
        if (check.NothingToRevert)
            return Problems.Create(StatusCodes.Status409Conflict, ImportErrors.NothingToRevert, "There is nothing to revert.",
                $"Import '{importId}' changed no entity (or was accepted by a version that kept no snapshot); nothing was written.");
        if (check.Conflicts is { } conflicts && !force)
            return Results.Problem(
                detail: ImportReverts.ConflictMessage(importId, conflicts) + " See 'conflicts'.",
                statusCode: StatusCodes.Status409Conflict,
                title: "Entities changed since the import.",
                type: $"urn:project-exports:problem:{ImportErrors.RevertConflict}",
                extensions: new Dictionary<string, object?>
                {
                    ["code"] = ImportErrors.RevertConflict,
                    ["conflicts"] = JsonSerializer.SerializeToElement(conflicts.Entities, ApiJsonContext.Wire.IReadOnlyListProjectEntityRef),
                    ["conflicts_total"] = conflicts.Total,
                });

        var record = await reverts.RequestAsync(reverted, force, caller, cancellationToken);
        var imports = request.Path.Value!.TrimEnd('/');
        imports = imports[..imports.LastIndexOf('/')]; // …/{importId}
        imports = imports[..imports.LastIndexOf('/')]; // …/project-imports
        return new JsonResultWithLocation<ImportRecord>(record, ApiJsonContext.Wire.ImportRecord, StatusCodes.Status202Accepted,
            $"{request.PathBase}{imports}/{record.Id}", RetryAfter.ImportPoll);
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

        return (ImportDocumentReader.Read(upload), strategy, upload.Bytes.LongLength);

        static Outcome<(ImportCheck, ImportStrategy, long)> Refused(IResult problem) => Outcome<(ImportCheck, ImportStrategy, long)>.Refused(problem);
    }

    private static IResult InvalidImportId() =>
        Problems.BadRequest("invalid_import_id", $"The import id is not valid: it has {NewestFirstIds.Rule}.");

    private static IResult ImportNotFound(string importId) =>
        Problems.NotFound("import_not_found", $"There is no import '{importId}' in this project, or it has expired.");

    private static IResult InvalidStrategy(string value) =>
        Problems.BadRequest("invalid_strategy", $"'{Echo.Cut(value, 100)}' is not a strategy: use SKIP or OVERWRITE_DESTRUCTIVE.");

    private static IResult InvalidDocument(IReadOnlyList<ImportIssue> errors) =>
        IssuesProblem.Create(ImportErrors.InvalidDocument, "The import document is not valid.", "The document", "nothing was imported", errors);
}
