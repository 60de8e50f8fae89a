using System.Text.Json;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Queues;
using Microsoft.Extensions.Options;
using ProjectExports.Exports;
using ProjectExports.Http;
using ProjectExports.Projects;
using ProjectExports.Security;
using ProjectExports.Storage;

namespace ProjectExports.Imports;

/// <summary>Accepts validated import documents (stored, recorded, audited, queued), dry-runs them, and reads records back.</summary>
public sealed class ImportRequests(
    ImportRecordStore records,
    ExportIndex index,
    ImportEvents events,
    ImportTargets targets,
    ImportPlanStore plans,
    StorageClients clients,
    StorageInitializer initializer,
    QueueSignals signals,
    IOptions<ImportOptions> options,
    TimeProvider time)
{
    private QueueClient Queue => clients.Queues.GetQueueClient(StorageNames.ImportQueue);

    private BlobContainerClient Container => clients.Blobs.GetBlobContainerClient(StorageNames.ImportContainer);

    /// <summary>
    /// Index entry first (so a crash never leaves anything the cleanup cannot find), then the document and the plan
    /// made from it (<see cref="DryRunAsync"/>), the record, the "requested" audit entry and the queue message.
    /// </summary>
    public async Task<ImportRecord> RequestAsync(
        string projectId, byte[] document, ImportPlan plan, long sizeBytes, ImportStrategy strategy, Caller caller, CancellationToken cancellationToken)
    {
        await initializer.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
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
        };
        await Task.WhenAll(
            index.AddAsync(new ExportIndex.Entry(ExportIndex.ImportExpiry, projectId, record.Id, now), cancellationToken),
            index.AddAsync(new ExportIndex.Entry(ExportIndex.ImportProcessing, projectId, record.Id, now), cancellationToken)).ConfigureAwait(false);
        // The document as JSON (YAML converted), kept with the import; the apply step reads only the plan.
        await Container.GetBlobClient(record.DocumentBlobName).UploadAsync(
            BinaryData.FromBytes(document),
            new BlobUploadOptions
            {
                HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" },
                // In blocks, so that each call fits the request deadline (Storage:Requests) on a slower link too.
                TransferOptions = new StorageTransferOptions { InitialTransferSize = 1024 * 1024, MaximumTransferSize = 1024 * 1024, MaximumConcurrency = 4 },
            },
            cancellationToken).ConfigureAwait(false);
        await plans.SaveAsync(projectId, record.Id, plan, cancellationToken).ConfigureAwait(false);
        await records.CreateAsync(record, cancellationToken).ConfigureAwait(false);
        await events.RequestedAsync(record, cancellationToken).ConfigureAwait(false);
        var message = JsonSerializer.Serialize(new ImportApplyMessage(projectId, record.Id), ApiJsonContext.Wire.ImportApplyMessage);
        await Queue.SendMessageAsync(message, cancellationToken).ConfigureAwait(false);
        signals.MessageSent(StorageNames.ImportQueue);
        return record;
    }

    /// <summary>What the import would do to the project now: its errors, or its warnings, summary and plan; null when the project is gone. Writes nothing.</summary>
    public async Task<ImportDryRun?> DryRunAsync(string projectId, ImportCheck check, ImportStrategy strategy, CancellationToken cancellationToken)
    {
        if (!check.IsValid)
        {
            return new ImportDryRun(new ImportValidation(check.Errors, check.Warnings, null), null);
        }
        var target = await targets.LoadAsync(projectId, check.Document!, cancellationToken).ConfigureAwait(false);
        if (target is null)
        {
            return null;
        }
        var plan = ImportPlanner.Plan(check.Document!, target, strategy, time.GetUtcNow());
        try
        {
            ProjectStore.CheckChanges(plan.Changes);
        }
        catch (StorageLimitException e)
        {
            // The document's own size checks are estimates; the rows the import would write are the truth.
            return new ImportDryRun(new ImportValidation([new ImportIssue(ImportIssueCodes.EntityTooLarge, e.Message, "")], check.Warnings, null), null);
        }
        return new ImportDryRun(new ImportValidation([], ImportIssueList.Of(check.Warnings, plan.Warnings), plan.Summary), plan); // capped: one warning per existing entity
    }

    /// <summary>The import, unless it does not exist or is past retention (the cleanup may not have run yet).</summary>
    public async Task<ImportRecord?> FindAsync(string projectId, string importId, CancellationToken cancellationToken)
    {
        var found = await records.GetAsync(projectId, importId, cancellationToken).ConfigureAwait(false);
        return found is { } f && f.Record.CreatedAt + options.Value.Retention > time.GetUtcNow() ? f.Record : null;
    }
}
