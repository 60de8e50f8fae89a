using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using ProjectExports.Http;
using ProjectExports.Imports.Review;
using ProjectExports.Jobs;
using ProjectExports.Security;
using ProjectExports.Storage;

namespace ProjectExports.Imports;

/// <summary>The import endpoints, written once for both hosts: HttpRequest in, IResult out, behind the project gate (<see cref="ApiGate"/>).</summary>
public sealed class ImportHttpHandlers(
    ImportRequests imports, ImportReverts reverts, JobStore<ImportRecord> records, ImportPlanStore plans, IOptions<ImportOptions> options, ImportAdmission admission)
{
    /// <summary>
    /// POST …/project-imports: validates the whole document, then stores and queues it (202) or lists every problem (400).
    /// With <c>?plan_id=</c> or a form field <c>plan_id</c> (from validate) it goes ahead only if it would apply exactly
    /// that plan (else 409 plan_outdated).
    /// </summary>
    public Task<IResult> CreateAsync(HttpRequest request, string projectId, Caller caller) => admission.AdmitAsync(request, async () =>
    {
        var cancellationToken = request.HttpContext.RequestAborted;
        if (!ReadPlanId(request).TryGetValue(out var reviewed, out var problem)) return problem;
        if (!(await ReadAsync(request, cancellationToken)).TryGetValue(out var input, out problem)) return problem;
        if (!ReviewedPlan(reviewed, input.FormPlanId).TryGetValue(out reviewed, out problem)) return problem;
        var (check, strategy, size, large, environmentOptions, selection, _) = input;
        if (!check.IsValid) return InvalidDocument(check.Errors);
        var document = check.CompressedJson!; // taken now, so the check and its models are not held past planning
        // Planned against the project as it is now, so rows Table Storage could not hold are refused here, not after a 202.
        var purpose = reviewed.Length > 0 ? DryRunPurpose.ReviewedImport : DryRunPurpose.Import;
        var dryRun = await imports.DryRunAsync(projectId, check, strategy, selection, purpose, large, cancellationToken);
        if (dryRun is null) return Problems.ProjectNotFound(projectId);
        if (dryRun.Plan is null) return InvalidDocument(dryRun.Validation.Errors);
        if (reviewed.Length > 0 && reviewed != dryRun.Plan.Id)
        {
            return Problems.Create(StatusCodes.Status409Conflict, ImportErrors.PlanOutdated, "The reviewed plan is out of date.",
                $"Plan {reviewed} is not what this import would do now: the project, the document or its options changed since it was made " +
                $"(the plan now is {dryRun.Plan.Id}). Nothing was written; validate again and review the new plan.");
        }

        // The plan made here is the plan applied: stored with the document, so what was checked is what is written.
        var record = await imports.RequestAsync(projectId, document, dryRun.Plan, size, strategy, environmentOptions, caller, cancellationToken);
        return new JsonResultWithLocation<ImportRecord>(record, ApiJsonContext.Wire.ImportRecord, StatusCodes.Status202Accepted,
            $"{request.PathBase}{request.Path.Value?.TrimEnd('/')}/{record.Id}", RetryAfter.ImportPoll);
    });

    /// <summary>POST …/project-imports/validate: the same input, nothing written; errors, warnings and the summary it would produce.</summary>
    public Task<IResult> ValidateAsync(HttpRequest request, string projectId) => admission.AdmitAsync(request, async () =>
    {
        var cancellationToken = request.HttpContext.RequestAborted;
        if (!(await ReadAsync(request, cancellationToken)).TryGetValue(out var input, out var problem)) return problem;
        var dryRun = await imports.DryRunAsync(projectId, input.Check, input.Strategy, input.Selection, DryRunPurpose.Validation, input.Large, cancellationToken);
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

    /// <summary>GET …/project-imports/{id}/plan: the plan the import applies, every entry, as validate showed it (capped there).</summary>
    public async Task<IResult> DownloadPlanAsync(HttpRequest request, string projectId, string importId)
    {
        var cancellationToken = request.HttpContext.RequestAborted;
        if (!NewestFirstIds.IsValid(importId)) return InvalidImportId();
        // A revert has no plan of its own to review: its snapshot is the reverted import's.
        var record = await records.FindAsync(projectId, importId, cancellationToken);
        var review = record is null ? null : await plans.OpenReviewAsync(projectId, importId, cancellationToken);
        return review is null
            ? ImportNotFound(importId)
            : Results.Stream(review, "application/json", $"project-import-plan.{projectId}.{importId}.json");
    }

    /// <returns>The plan id the query names, or "" when it names none.</returns>
    private static Outcome<string> ReadPlanId(HttpRequest request)
    {
        if (!request.Query.TryGetValue(ImportUploads.PlanIdName, out var values)) return "";
        if (values.Count > 1) return Outcome<string>.Refused(Problems.BadRequest("ambiguous_query", "The query has more than one 'plan_id'; send one."));
        var value = values.ToString();
        return ImportPlanIds.IsWellFormed(value) ? value : Outcome<string>.Refused(InvalidPlanId(value));
    }

    /// <returns>The plan id the caller reviewed, from the query or a form's field (the same in both when both name one), or "" when neither does.</returns>
    private static Outcome<string> ReviewedPlan(string fromQuery, string? fromForm)
    {
        if (fromForm is null) return fromQuery;
        if (!ImportPlanIds.IsWellFormed(fromForm)) return Outcome<string>.Refused(InvalidPlanId(fromForm));
        return fromQuery.Length == 0 || fromQuery == fromForm
            ? fromForm
            : Outcome<string>.Refused(Problems.BadRequest("conflicting_plan_id",
                $"The form field 'plan_id' ({fromForm}) and the query's ?plan_id= ({fromQuery}) differ; give one, or the same in both."));
    }

    private static IResult InvalidPlanId(string value) =>
        Problems.BadRequest("invalid_plan_id", $"'{Echo.Cut(value, 100)}' is not a plan id: use the plan_id a validation answered (64 lowercase hex digits).");

    /// <summary>
    /// The request's document, strategy and environment options, each read and checked once for both endpoints. The
    /// options are checked against a valid document here, so a mismatch is a 400 on both (nothing written); an invalid
    /// document is returned as it is, for its own errors. The document's JSON is kept only compressed (<see cref="ImportDocumentReader"/>).
    /// </summary>
    private async Task<Outcome<ImportInput>> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
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

        if (!ImportEnvironmentOptions.Read(request.Query, upload).TryGetValue(out var environmentOptions, out problem)) return Refused(problem);

        var large = admission.IsLarge(upload.Size);
        var check = ImportDocumentReader.Read(upload, large ? ImportAdmission.CollectAfterLargeStep : null);
        var selection = ImportEnvironmentSelection.All;
        if (check.IsValid)
        {
            (var selected, var errors) = ImportEnvironmentSelection.Create(check.Document!, environmentOptions);
            if (selected is null)
            {
                return Refused(IssuesProblem.Create("invalid_environment_selection", "The environment options do not fit the document.",
                    "The environment selection", "nothing was imported", errors));
            }
            selection = selected;
        }
        return new ImportInput(check, strategy, upload.Size, large, environmentOptions, selection, upload.FormPlanId);

        static Outcome<ImportInput> Refused(IResult problem) => Outcome<ImportInput>.Refused(problem);
    }

    private sealed record ImportInput(
        ImportCheck Check, ImportStrategy Strategy, long Size, bool Large, ImportEnvironmentOptions EnvironmentOptions, ImportEnvironmentSelection Selection, string? FormPlanId);

    private static IResult InvalidImportId() =>
        Problems.BadRequest("invalid_import_id", $"The import id is not valid: it has {NewestFirstIds.Rule}.");

    private static IResult ImportNotFound(string importId) =>
        Problems.NotFound("import_not_found", $"There is no import '{importId}' in this project, or it has expired.");

    private static IResult InvalidStrategy(string value) =>
        Problems.BadRequest("invalid_strategy", $"'{Echo.Cut(value, 100)}' is not a strategy: use SKIP or OVERWRITE_DESTRUCTIVE.");

    private static IResult InvalidDocument(IReadOnlyList<ImportIssue> errors) =>
        IssuesProblem.Create(ImportErrors.InvalidDocument, "The import document is not valid.", "The document", "nothing was imported", errors);
}
