using System.Diagnostics;
using Microsoft.Extensions.Logging;
using ProjectExports.Imports.Review;
using ProjectExports.Jobs;
using ProjectExports.Projects;
using ProjectExports.Storage;

namespace ProjectExports.Imports;

/// <summary>
/// The import's step: applies the plan stored when the import was accepted (<see cref="ImportPlanStore"/>) as rows,
/// partition by partition as the plan downloads (<see cref="ImportPlanWrites"/>). Before the first write it stores a
/// snapshot of the rows at every key it writes (<see cref="ImportSnapshot"/>, what a revert puts back); it writes only
/// rows that change, by key, so a redelivery or a retry after a crash between two writes converges on the same state
/// and reports the same summary; and it reads back what it wrote, succeeding only if storage holds exactly that. A
/// revert (<see cref="ImportReverts"/>) runs here too, on the same queue.
/// </summary>
public sealed class ImportApplier(
    ImportPlanStore plans,
    ImportPlanWrites planWrites,
    ImportReverts reverts,
    ImportSnapshotStore snapshots,
    ImportTargets targets,
    ImportAdmission admission,
    TimeProvider time,
    ILogger<ImportApplier> logger)
    : IJobStep<ImportRecord>
{
    /// <summary>
    /// The progress phases of an apply: reading the plan's keys and taking the snapshot (no total yet), then rows of the
    /// total written and read back; a revert reads back after its writes, as <see cref="ImportWrites.Verifying"/>.
    /// </summary>
    public const string Planning = "planning";
    public const string Applying = "applying";

    public async Task<ImportRecord> RunAsync(ImportRecord record, JobProgress<ImportRecord> progress, long dequeueCount, CancellationToken cancellationToken)
    {
        // A revert holds its whole snapshot, and an import its rows in flight and the rows it overwrites: a large document's apply takes a place.
        using var place = await admission.WaitForPlaceAsync(record.SizeBytes, cancellationToken).ConfigureAwait(false);
        var started = Stopwatch.GetTimestamp();
        await progress.ReportAsync(new ProcessingProgress(Planning, 0, null), cancellationToken).ConfigureAwait(false);
        if (record.Reverts is not null)
        {
            return await reverts.ApplyAsync(record, progress, cancellationToken).ConfigureAwait(false);
        }
        await using var plan = await plans.OpenAsync(record.Project, record.Id, cancellationToken).ConfigureAwait(false);
        if (plan is null)
        {
            // Only an import accepted by a version that planned on delivery has none; it is not retried.
            return record.Failed(ImportErrors.Failed,
                "The import has no stored plan (it was accepted by an earlier version of the service); nothing was written. Import the document again.",
                time.GetUtcNow());
        }
        if (plan.Plan.RequiresPlannedState && !await IsAsPlannedAsync(record, plan.Plan, cancellationToken).ConfigureAwait(false))
        {
            return record.Failed(ImportErrors.PlanOutdated,
                $"The project changed after plan {plan.Plan.Id} was reviewed and accepted, before it was applied; nothing was written. Validate again and review the new plan.",
                time.GetUtcNow());
        }
        var befores = await planWrites.SnapshotAsync(record, plan, cancellationToken).ConfigureAwait(false);
        var loaded = Stopwatch.GetElapsedTime(started);
        var differences = await planWrites.WriteAndVerifyAsync(record, befores, progress, collectAfterEachRun: place is not null, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Import {ImportId} of project {ProjectId}: snapshot of its {Rows} rows taken in {PlanSeconds:F1} s, rows written and verified in {WriteSeconds:F1} s.",
            record.Id, record.Project, befores.PlanRows, loaded.TotalSeconds, (Stopwatch.GetElapsedTime(started) - loaded).TotalSeconds);
        return differences is null
            ? record.Succeeded(plan.Plan.Summary, time.GetUtcNow())
            : record.Failed(ImportErrors.Incomplete, ImportReverts.IncompleteMessage(differences), time.GetUtcNow()) with { Differences = differences };
    }

    /// <summary>
    /// Whether the project holds what the reviewed plan was made from. Once the snapshot exists the check was passed
    /// and writes may have begun (the rows differ by this import's own writes), so a redelivery goes on.
    /// </summary>
    private async Task<bool> IsAsPlannedAsync(ImportRecord record, ImportPlan plan, CancellationToken cancellationToken)
    {
        if (await snapshots.ExistsAsync(record.Project, record.Id, cancellationToken).ConfigureAwait(false)) return true;
        var target = await targets.LoadAsync(record.Project, plan.Scope, cancellationToken).ConfigureAwait(false);
        return target is not null && await target.StateHashAsync(cancellationToken).ConfigureAwait(false) == plan.StateHash;
    }

    /// <summary>Storage limits are the user's to fix and say so plainly; other errors stay in the logs, not the API.</summary>
    public JobError GiveUp(Exception exception, long dequeueCount)
    {
        var cause = exception switch
        {
            StorageLimitException => $" ({exception.Message})",
            StoredDataException => " (part of the project's stored data cannot be read; the operator has the details in the logs)",
            _ => "",
        };
        return new JobError(ImportErrors.Failed, $"The import could not be applied after {dequeueCount} attempts{cause}. " +
            "Entities written before the failure stay; importing the same document again completes it, and reverting this import takes them back.");
    }
}
