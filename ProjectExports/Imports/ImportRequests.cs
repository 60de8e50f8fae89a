using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using ProjectExports.Imports.Review;
using ProjectExports.Jobs;
using ProjectExports.Projects;
using ProjectExports.Security;
using ProjectExports.Storage;

namespace ProjectExports.Imports;

/// <summary>Accepts validated import documents (stored, recorded, audited, queued) and dry-runs them.</summary>
public sealed class ImportRequests(
    JobRequests<ImportRecord> jobs,
    ImportTargets targets,
    ImportPlanStore plans,
    StorageClients clients,
    TimeProvider time)
{
    private BlobContainerClient Container => clients.Blobs.GetBlobContainerClient(StorageNames.ImportContainer);

    /// <summary>
    /// A job (<see cref="JobRequests{TRecord}"/>) whose inputs, stored before its record, are the document (as JSON,
    /// YAML converted, gzip-compressed: <see cref="ImportCheck.CompressedJson"/>, kept with the import) and the plan made from it (<see cref="DryRunAsync"/>): the apply step
    /// reads only the plan, so it applies exactly what was planned at create.
    /// </summary>
    public async Task<ImportRecord> RequestAsync(
        string projectId, BinaryData document, ImportPlan plan, long sizeBytes, ImportStrategy strategy, ImportEnvironmentOptions environmentOptions, Caller caller, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var record = new ImportRecord
        {
            Id = NewestFirstIds.New(now),
            Project = projectId,
            Strategy = strategy,
            CreatedAt = now,
            CreatedBy = caller.UserId,
            CreatedByApiKey = caller.ApiKeyId,
            SizeBytes = sizeBytes,
            EnvironmentMap = environmentOptions.EnvironmentMap,
            Environments = environmentOptions.Environments,
            PlanId = plan.Id,
        };
        await jobs.SubmitAsync(record, async token =>
        {
            await StoreDocumentAsync(record, document, token).ConfigureAwait(false);
            await plans.SaveAsync(projectId, record.Id, plan, token).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        return record;
    }

    private Task StoreDocumentAsync(ImportRecord record, BinaryData document, CancellationToken cancellationToken) =>
        ImportBlobs.UploadCompressedAsync(Container.GetBlobClient(record.DocumentBlobName), document, "application/json", conditions: null, cancellationToken);

    /// <summary>
    /// What the import would do to the project now: its errors, or its warnings, summary and plan; null when the project
    /// is gone. Writes nothing. The document is planned as the <paramref name="selection"/> (checked against it) leaves it,
    /// with the plan's warnings pointing back into the document as uploaded. For an import (<paramref name="purpose"/>)
    /// the plan's rows are built into its stored form (<see cref="ImportPlan.Stored"/>) as they are checked.
    /// </summary>
    public async Task<ImportDryRun?> DryRunAsync(
        string projectId, ImportCheck check, ImportStrategy strategy, ImportEnvironmentSelection selection, DryRunPurpose purpose, CancellationToken cancellationToken)
    {
        if (!check.IsValid)
        {
            return new ImportDryRun(new ImportValidation(check.Errors, check.Warnings, null), null);
        }
        var document = selection.Apply(check.Document!);
        var target = await targets.LoadAsync(projectId, document, cancellationToken).ConfigureAwait(false);
        if (target is null)
        {
            return null;
        }
        // Hashed before planning, which resolves the document's references in place.
        var stateHash = ImportPlanIds.StateHash(target);
        var planId = ImportPlanIds.Of(check.JsonHash, $"{strategy.ToWireName()}\n{selection.Options.ToCanonicalText()}", stateHash);
        var plan = ImportPlanner.Plan(document, target, strategy, time.GetUtcNow());
        (plan.Id, plan.StateHash, plan.Scope, plan.RequiresPlannedState) = (planId, stateHash, ImportTargetScope.Of(document), purpose == DryRunPurpose.ReviewedImport);
        plan.Rows = ProjectStore.RowsOf(plan.Changes);
        try
        {
            // One row at a time: a large import's rows are never all held before its 202.
            if (purpose != DryRunPurpose.Validation) plan.Stored = ImportPlanFormat.Compress(plan);
            else foreach (var _ in plan.Rows) { }
            plan.ReleaseRows();
        }
        catch (StorageLimitException e)
        {
            // The document's own size checks are estimates; the rows the import would write are the truth.
            return new ImportDryRun(new ImportValidation([new ImportIssue(ImportIssueCodes.EntityTooLarge, e.Message, "")], check.Warnings, null), null);
        }
        // capped: one warning per existing entity
        var warnings = ImportIssueList.Of(check.Warnings, selection.Warnings, plan.Warnings.Select(selection.ToDocumentPath));
        return new ImportDryRun(new ImportValidation([], warnings, plan.Summary, planId, ImportPlanReview.Capped(planId, plan.Entries)), plan);
    }
}
