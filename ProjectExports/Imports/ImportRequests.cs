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
    /// About a megabyte of models (an L environment has 5,800 entities), the document's and the project's: a document
    /// of many small environments is not collected after each. Counted whether or not they are written, as a restore
    /// over the same data reads as much and writes nothing.
    /// </summary>
    private const int EntitiesBetweenCollections = 2_000;

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
    /// <param name="large">A large document (<see cref="ImportAdmission.IsLarge"/>): collected (<see cref="ImportAdmission.CollectAfterLargeStep"/>) at the end of an environment, whose models (and the project's data it was compared with) are let go then, once a few thousand entities were planned since the last time.</param>
    public async Task<ImportDryRun?> DryRunAsync(
        string projectId, ImportCheck check, ImportStrategy strategy, ImportEnvironmentSelection selection, DryRunPurpose purpose, bool large, CancellationToken cancellationToken)
    {
        if (!check.IsValid)
        {
            return new ImportDryRun(new ImportValidation(check.Errors, check.Warnings, null), null);
        }
        var document = selection.Apply(check.Document!);
        var scope = ImportTargetScope.Of(document);
        var target = await targets.LoadAsync(projectId, scope, cancellationToken).ConfigureAwait(false);
        if (target is null)
        {
            return null;
        }
        using var stored = purpose != DryRunPurpose.Validation ? new ImportPlanWriter() : null;
        using var review = new ImportReviewWriter(keepAll: purpose != DryRunPurpose.Validation);
        var (entitiesPlanned, entitiesAtCollection) = (0, 0);
        ImportPlan plan;
        string planId;
        try
        {
            // One environment at a time, its rows built (and checked) into the stored form as soon as it is planned:
            // a large import's rows, and its environments' models, are never all held before its 202.
            plan = await ImportPlanner.PlanAsync(document, target, strategy, time.GetUtcNow(), review, (changes, planned) =>
            {
                var rows = ProjectStore.EnvironmentRowsOf(projectId, changes);
                if (stored is not null) stored.Write(rows);
                else _ = rows.Count(); // each row built and checked
                entitiesPlanned += planned.FeatureStates.Count + planned.FeatureSegments.Count + (planned.IdentityOverrides?.Count ?? 0);
                if (large && entitiesPlanned + target.EntitiesRead - entitiesAtCollection >= EntitiesBetweenCollections)
                {
                    ImportAdmission.CollectAfterLargeStep();
                    entitiesAtCollection = entitiesPlanned + target.EntitiesRead;
                }
            }, cancellationToken).ConfigureAwait(false);
            // The project's environments were each hashed as the planner read them.
            var stateHash = await target.StateHashAsync(cancellationToken).ConfigureAwait(false);
            planId = ImportPlanIds.Of(check.JsonHash, $"{strategy.ToWireName()}\n{selection.Options.ToCanonicalText()}", stateHash);
            (plan.Id, plan.StateHash, plan.Scope, plan.RequiresPlannedState) = (planId, stateHash, scope, purpose == DryRunPurpose.ReviewedImport);
            var projectRows = ProjectStore.ProjectRowsOf(plan.Changes);
            if (stored is not null) (plan.Stored, plan.StoredReview) = (stored.Complete(plan, projectRows), review.Complete(planId));
            else _ = projectRows.Count();
            plan.ReleaseChanges();
        }
        catch (StorageLimitException e)
        {
            // The document's own size checks are estimates; the rows the import would write are the truth.
            return new ImportDryRun(new ImportValidation([new ImportIssue(ImportIssueCodes.EntityTooLarge, e.Message, "")], check.Warnings, null), null);
        }
        // capped: one warning per existing entity
        var warnings = ImportIssueList.Of(check.Warnings, selection.Warnings, plan.Warnings.Select(selection.ToDocumentPath));
        return new ImportDryRun(new ImportValidation([], warnings, plan.Summary, planId, review.Capped(planId)), plan);
    }
}
