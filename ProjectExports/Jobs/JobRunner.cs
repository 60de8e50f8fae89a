using Azure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ProjectExports.Jobs;

/// <summary>
/// Runs one kind's step for each delivery of its queue messages, the same way for every kind: a message for a job
/// that no longer exists is dropped; a job already finished is only finished again (its audit entry and index entry,
/// in case a crash cut that short); otherwise the step runs and its outcome is stored only if the record is still
/// PROCESSING as this delivery found it (If-Match), so of racing deliveries exactly one outcome stands. On the last
/// allowed delivery a failure also fails the job before the exception goes on to the host, which moves the message
/// to the poison queue.
/// </summary>
public sealed class JobRunner<TRecord>(
    JobKind<TRecord> kind,
    IJobStep<TRecord> step,
    JobStore<TRecord> store,
    JobEvents<TRecord> events,
    JobIndex index,
    IOptions<JobOptions> options,
    TimeProvider time,
    ILogger<JobRunner<TRecord>> logger)
    where TRecord : JobRecord<TRecord>
{
    public async Task HandleMessageAsync(string messageText, long dequeueCount, CancellationToken cancellationToken)
    {
        var (projectId, id) = JobMessages.Read(messageText, kind.MessageIdName, kind.Noun);
        try
        {
            await RunAsync(projectId, id, dequeueCount, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (dequeueCount >= options.Value.MaxDequeueCount && e is not OperationCanceledException)
        {
            logger.LogError(e, "The {Kind} {JobId} of project {ProjectId} failed on its last delivery ({DequeueCount}).", kind.Noun, id, projectId, dequeueCount);
            if (await store.GetAsync(projectId, id, cancellationToken).ConfigureAwait(false) is var (record, etag) && record.Status == JobStatus.Processing)
            {
                var error = step.GiveUp(e, dequeueCount);
                await CompleteAsync(record.Failed(error.Code, error.Message, time.GetUtcNow()), etag, cancellationToken).ConfigureAwait(false);
            }
            throw;
        }
    }

    /// <param name="dequeueCount">Which delivery of the job's message this is (1 for the first).</param>
    public async Task RunAsync(string projectId, string id, long dequeueCount, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(projectId, id, cancellationToken).ConfigureAwait(false) is not var (record, etag))
        {
            // Dropped, not poisoned: records are written before their message, so this one was removed by retention for good.
            logger.LogWarning("The {Kind} {JobId} of project {ProjectId} does not exist (expired or never written); message dropped.", kind.Noun, id, projectId);
            return;
        }
        if (record.Status != JobStatus.Processing)
        {
            await FinishAsync(record, cancellationToken).ConfigureAwait(false); // a redelivery after a crash before the last step
            return;
        }
        using var progress = new JobProgress<TRecord>(store, record, etag, time, logger);
        var finished = await step.RunAsync(record, progress, dequeueCount, cancellationToken).ConfigureAwait(false);
        await CompleteAsync(finished, progress.ETag, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Moves the record out of PROCESSING unless another run already did; then finishes from what is stored.</summary>
    private async Task CompleteAsync(TRecord finished, ETag etag, CancellationToken cancellationToken)
    {
        if (await store.SettleAsync(finished, etag, cancellationToken).ConfigureAwait(false) is { } settled)
        {
            await FinishAsync(settled, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task FinishAsync(TRecord record, CancellationToken cancellationToken)
    {
        await events.FinishedAsync(record, cancellationToken).ConfigureAwait(false);
        await index.RemoveAsync(new JobIndex.Entry(kind.ProcessingIndex, record.Project, record.Id, record.CreatedAt), cancellationToken).ConfigureAwait(false);
    }
}
