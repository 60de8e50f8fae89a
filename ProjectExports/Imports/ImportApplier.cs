using System.Diagnostics;
using System.Text.Json;
using Azure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ProjectExports.Exports;
using ProjectExports.Http;
using ProjectExports.Projects;
using ProjectExports.Storage;

namespace ProjectExports.Imports;

/// <summary>
/// The queue-triggered step: applies one import. Every delivery applies the plan stored when the import was accepted
/// (<see cref="ImportPlanStore"/>) with upserts and deletes by key, so a redelivery or a retry after a crash between
/// two writes converges on the same state and reports the same summary. The record leaves PROCESSING only via If-Match.
/// </summary>
public sealed class ImportApplier(
    ImportRecordStore records,
    ImportEvents events,
    ExportIndex index,
    ImportPlanStore plans,
    ProjectStore projects,
    ImportApplyHook hook,
    ImportAdmission admission,
    IOptions<ExportOptions> exportOptions,
    TimeProvider time,
    ILogger<ImportApplier> logger)
{
    /// <summary>
    /// Handles one delivery. On the last allowed delivery (Exports:MaxDequeueCount, as host.json) a failure also
    /// marks the import FAILED before the exception goes on to the host, which moves the message to the poison queue.
    /// </summary>
    public async Task HandleMessageAsync(string messageText, long dequeueCount, CancellationToken cancellationToken)
    {
        var message = Parse(messageText);
        try
        {
            await ApplyAsync(message.ProjectId, message.ImportId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (dequeueCount >= exportOptions.Value.MaxDequeueCount && e is not OperationCanceledException)
        {
            logger.LogError(e, "Import {ImportId} of project {ProjectId} failed on its last delivery ({DequeueCount}).", message.ImportId, message.ProjectId, dequeueCount);
            if (await records.GetAsync(message.ProjectId, message.ImportId, cancellationToken).ConfigureAwait(false) is var (record, etag)
                && record.Status == ExportStatus.Processing)
            {
                // Storage limits are the user's to fix and say so plainly; other errors stay in the logs, not the API.
                var cause = e switch
                {
                    StorageLimitException => $" ({e.Message})",
                    StoredDataException => " (part of the project's stored data cannot be read; the operator has the details in the logs)",
                    _ => "",
                };
                var reason = $"The import could not be applied after {dequeueCount} attempts{cause}. " +
                    "Entities written before the failure stay; importing the same document again completes it.";
                await CompleteAsync(record.Failed(ImportErrors.Failed, reason, time.GetUtcNow()), etag, cancellationToken).ConfigureAwait(false);
            }
            throw;
        }
    }

    public async Task ApplyAsync(string projectId, string importId, CancellationToken cancellationToken)
    {
        var found = await records.GetAsync(projectId, importId, cancellationToken).ConfigureAwait(false);
        if (found is not var (record, etag))
        {
            // Dropped, not poisoned: records are written before their message, so this one was removed by retention for good.
            logger.LogWarning("Import {ImportId} of project {ProjectId} does not exist (expired or never written); message dropped.", importId, projectId);
            return;
        }
        if (record.Status != ExportStatus.Processing)
        {
            await FinishAsync(record, cancellationToken).ConfigureAwait(false); // a redelivery after a crash before the last step
            return;
        }
        // The plan of a large document is held until its last write, so the whole apply takes a place.
        using var place = await admission.WaitForPlaceAsync(record.SizeBytes, cancellationToken).ConfigureAwait(false);
        var started = Stopwatch.GetTimestamp();
        using var progress = new RecordProgress<ImportRecord>(records, record, etag, time, logger);
        await progress.ReportAsync(new ProcessingProgress(ProcessingProgress.Planning, 0, null), cancellationToken).ConfigureAwait(false);
        var plan = await plans.LoadAsync(record.Project, record.Id, cancellationToken).ConfigureAwait(false);
        if (plan is null)
        {
            // Only an import accepted by a version that planned on delivery has none; it is not retried.
            const string reason = "The import has no stored plan (it was accepted by an earlier version of the service); nothing was written. Import the document again.";
            await CompleteAsync(record.Failed(ImportErrors.Failed, reason, time.GetUtcNow()), progress.ETag, cancellationToken).ConfigureAwait(false);
            return;
        }
        var planned = Stopwatch.GetElapsedTime(started);
        await projects.ApplyChangesAsync(plan.Changes, ct => hook.BeforeWriteAsync(record, ct),
            (done, total, ct) => progress.ReportAsync(new ProcessingProgress(ProcessingProgress.Applying, done, total), ct), cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Import {ImportId} of project {ProjectId}: plan loaded in {PlanSeconds:F1} s, written in {WriteSeconds:F1} s.",
            record.Id, record.Project, planned.TotalSeconds, (Stopwatch.GetElapsedTime(started) - planned).TotalSeconds);
        await CompleteAsync(record.Succeeded(plan.Summary, time.GetUtcNow()), progress.ETag, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Moves the record out of PROCESSING unless another run already did; then writes the audit entry of the outcome stored.</summary>
    private async Task CompleteAsync(ImportRecord finished, ETag etag, CancellationToken cancellationToken)
    {
        if (await records.SettleAsync(finished, etag, cancellationToken).ConfigureAwait(false) is { } settled)
        {
            await FinishAsync(settled, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task FinishAsync(ImportRecord record, CancellationToken cancellationToken)
    {
        await events.FinishedAsync(record, cancellationToken).ConfigureAwait(false);
        await index.RemoveAsync(new ExportIndex.Entry(ExportIndex.ImportProcessing, record.Project, record.Id, record.CreatedAt), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The message, or a <see cref="FormatException"/>: a malformed message fails every delivery, so the host moves it
    /// to the poison queue for someone to look at, instead of it vanishing.
    /// </summary>
    private static ImportApplyMessage Parse(string text)
    {
        (ImportApplyMessage? Message, JsonException? Error) parsed;
        try
        {
            parsed = (JsonSerializer.Deserialize(text, ApiJsonContext.Wire.ImportApplyMessage), null);
        }
        catch (JsonException e)
        {
            parsed = (null, e);
        }
        return parsed.Message is { } message && Projects.ProjectIds.IsValid(message.ProjectId) && NewestFirstIds.IsValid(message.ImportId)
            ? message
            : throw new FormatException($"The queue message ({text.Length} characters) is not an import request: JSON {{\"projectId\": …, \"importId\": …}} with a valid project id and import id.", parsed.Error);
    }
}
