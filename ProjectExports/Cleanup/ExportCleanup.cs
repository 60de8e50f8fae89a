using Azure.Storage.Blobs;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ProjectExports.Exports;
using ProjectExports.Imports;
using ProjectExports.Storage;

namespace ProjectExports.Cleanup;

public sealed record CleanupResult(int Stalled, int Deleted, int StalledImports, int DeletedImports);

/// <summary>
/// The timer-triggered cleanup. Walks only the time-ordered indexes, so its cost follows what is due, not
/// how many exports exist. Every step is idempotent and guarded by ETags, so overlapping runs do no harm.
/// Imports past their retention go the same way: stored document and plan, then record, then index entry.
/// </summary>
public sealed class ExportCleanup(
    ExportIndex index,
    ExportRecordStore records,
    ExportEvents events,
    StorageClients clients,
    IOptions<ExportOptions> options,
    ImportRecordStore imports,
    ImportEvents importEvents,
    IOptions<ImportOptions> importOptions,
    TimeProvider time,
    ILogger<ExportCleanup> logger)
{
    public async Task<CleanupResult> RunAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var stalled = await FailStalledAsync(now, cancellationToken).ConfigureAwait(false);
        var deleted = await DeleteExpiredAsync(now, cancellationToken).ConfigureAwait(false);
        var stalledImports = await FailStalledImportsAsync(now, cancellationToken).ConfigureAwait(false);
        var deletedImports = await DeleteExpiredImportsAsync(now, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Cleanup marked {Stalled} stalled exports and {StalledImports} stalled imports failed, and deleted {Deleted} expired exports and {DeletedImports} expired imports.",
            stalled, stalledImports, deleted, deletedImports);
        return new CleanupResult(stalled, deleted, stalledImports, deletedImports);
    }

    private async Task<int> FailStalledAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var timeout = options.Value.StallTimeout;
        var count = 0;
        await foreach (var entry in index.OlderThanAsync(ExportIndex.Processing, now - timeout, cancellationToken).ConfigureAwait(false))
        {
            if (await records.GetAsync(entry.ProjectId, entry.Id, cancellationToken).ConfigureAwait(false) is var (record, etag)
                && record.Status == ExportStatus.Processing)
            {
                var failed = record.Failed(ExportError.Stalled, $"The export was still processing after {timeout}; request a new one.", now);
                if (await records.TryReplaceAsync(failed, etag, cancellationToken).ConfigureAwait(false))
                {
                    await events.FinishedAsync(failed, cancellationToken).ConfigureAwait(false);
                    count++;
                }
            }
            await index.RemoveAsync(entry, cancellationToken).ConfigureAwait(false);
        }
        return count;
    }

    /// <summary>Blob first, then record, then index entry: a run cut short anywhere is finished by the next one.</summary>
    private async Task<int> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var container = clients.Blobs.GetBlobContainerClient(StorageNames.ExportContainer);
        var count = 0;
        await foreach (var entry in index.OlderThanAsync(ExportIndex.Expiry, now - options.Value.Retention, cancellationToken).ConfigureAwait(false))
        {
            await container.DeleteBlobIfExistsAsync(ExportIds.BlobName(entry.ProjectId, entry.Id), cancellationToken: cancellationToken).ConfigureAwait(false);
            await records.DeleteAsync(entry.ProjectId, entry.Id, cancellationToken).ConfigureAwait(false);
            await index.RemoveAsync(entry with { Index = ExportIndex.Processing }, cancellationToken).ConfigureAwait(false);
            await index.RemoveAsync(entry, cancellationToken).ConfigureAwait(false);
            count++;
        }
        return count;
    }

    /// <summary>An import whose queue message was lost (or whose apply died with its host) would stay PROCESSING forever.</summary>
    private async Task<int> FailStalledImportsAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var timeout = options.Value.StallTimeout;
        var count = 0;
        await foreach (var entry in index.OlderThanAsync(ExportIndex.ImportProcessing, now - timeout, cancellationToken).ConfigureAwait(false))
        {
            if (await imports.GetAsync(entry.ProjectId, entry.Id, cancellationToken).ConfigureAwait(false) is var (record, etag)
                && record.Status == ExportStatus.Processing)
            {
                var failed = record.Failed(ImportErrors.Stalled, $"The import was still processing after {timeout}; import the document again.", now);
                if (await imports.TryReplaceAsync(failed, etag, cancellationToken).ConfigureAwait(false))
                {
                    await importEvents.FinishedAsync(failed, cancellationToken).ConfigureAwait(false);
                    count++;
                }
            }
            await index.RemoveAsync(entry, cancellationToken).ConfigureAwait(false);
        }
        return count;
    }

    private async Task<int> DeleteExpiredImportsAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var container = clients.Blobs.GetBlobContainerClient(StorageNames.ImportContainer);
        var count = 0;
        await foreach (var entry in index.OlderThanAsync(ExportIndex.ImportExpiry, now - importOptions.Value.Retention, cancellationToken).ConfigureAwait(false))
        {
            await container.DeleteBlobIfExistsAsync(ImportBlobs.Document(entry.ProjectId, entry.Id), cancellationToken: cancellationToken).ConfigureAwait(false);
            await container.DeleteBlobIfExistsAsync(ImportBlobs.Plan(entry.ProjectId, entry.Id), cancellationToken: cancellationToken).ConfigureAwait(false);
            await imports.DeleteAsync(entry.ProjectId, entry.Id, cancellationToken).ConfigureAwait(false);
            await index.RemoveAsync(entry with { Index = ExportIndex.ImportProcessing }, cancellationToken).ConfigureAwait(false);
            await index.RemoveAsync(entry, cancellationToken).ConfigureAwait(false);
            count++;
        }
        return count;
    }
}
