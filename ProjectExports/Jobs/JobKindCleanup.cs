using Microsoft.Extensions.Options;
using ProjectExports.Storage;

namespace ProjectExports.Jobs;

/// <summary>
/// The cleanup of one kind: fails jobs stalled in PROCESSING, and deletes jobs past retention (files, then record,
/// then index entries). Walks only the time-ordered index, so its cost follows what is due, not how many jobs exist;
/// every step is idempotent and guarded by ETags, so a run cut short is finished by the next, and overlapping runs do no harm.
/// </summary>
public sealed class JobKindCleanup<TRecord>(
    JobKind<TRecord> kind, JobStore<TRecord> store, JobEvents<TRecord> events, JobIndex index, StorageClients clients, IOptions<JobOptions> options)
    : IJobCleanup
    where TRecord : JobRecord<TRecord>
{
    public string Noun => kind.Noun;

    public async Task<JobCleanupCount> RunAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var stalled = await FailStalledAsync(now, cancellationToken).ConfigureAwait(false);
        var deleted = await DeleteExpiredAsync(now, cancellationToken).ConfigureAwait(false);
        return new JobCleanupCount(kind.Noun, stalled, deleted);
    }

    /// <summary>A job whose queue message was lost (or whose step died with its host) would stay PROCESSING forever.</summary>
    private async Task<int> FailStalledAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var timeout = options.Value.StallTimeout;
        var count = 0;
        await foreach (var entry in index.OlderThanAsync(kind.ProcessingIndex, now - timeout, cancellationToken).ConfigureAwait(false))
        {
            if (await store.GetAsync(entry.ProjectId, entry.Id, cancellationToken).ConfigureAwait(false) is var (record, etag)
                && record.Status == JobStatus.Processing)
            {
                var error = kind.Stalled(timeout);
                var failed = record.Failed(error.Code, error.Message, now);
                if (await store.TryReplaceAsync(failed, etag, cancellationToken).ConfigureAwait(false))
                {
                    await events.FinishedAsync(failed, cancellationToken).ConfigureAwait(false);
                    count++;
                }
            }
            await index.RemoveAsync(entry, cancellationToken).ConfigureAwait(false);
        }
        return count;
    }

    private async Task<int> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var container = clients.Blobs.GetBlobContainerClient(kind.BlobContainer);
        var count = 0;
        await foreach (var entry in index.OlderThanAsync(kind.ExpiryIndex, now - kind.Retention, cancellationToken).ConfigureAwait(false))
        {
            foreach (var blob in kind.BlobNames(entry.ProjectId, entry.Id))
            {
                await container.DeleteBlobIfExistsAsync(blob, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            await store.DeleteAsync(entry.ProjectId, entry.Id, cancellationToken).ConfigureAwait(false);
            await index.RemoveAsync(entry with { Index = kind.ProcessingIndex }, cancellationToken).ConfigureAwait(false);
            await index.RemoveAsync(entry, cancellationToken).ConfigureAwait(false);
            count++;
        }
        return count;
    }
}
