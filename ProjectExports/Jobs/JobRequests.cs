using Azure.Storage.Queues;
using ProjectExports.Storage;

namespace ProjectExports.Jobs;

/// <summary>Submits jobs of one kind: records them, audits them and queues their step.</summary>
public sealed class JobRequests<TRecord>(
    JobKind<TRecord> kind, JobStore<TRecord> store, JobIndex index, JobEvents<TRecord> events, StorageClients clients)
    where TRecord : JobRecord<TRecord>
{
    private QueueClient Queue => clients.Queues.GetQueueClient(kind.QueueName);

    /// <summary>
    /// Index entries first, so a crash never leaves anything the cleanup cannot find; then what the kind stores for
    /// its step (<paramref name="storeInputsAsync"/>, an import's document); then the record; then the "requested"
    /// audit entry and the queue message at once. Should either of those two fail, the caller gets an error: without
    /// its message the job is failed as stalled by the cleanup; without its entry it still runs and its end is audited.
    /// </summary>
    public async Task SubmitAsync(TRecord record, Func<CancellationToken, Task>? storeInputsAsync, CancellationToken cancellationToken)
    {
        await Task.WhenAll(
            index.AddAsync(new JobIndex.Entry(kind.ExpiryIndex, record.Project, record.Id, record.CreatedAt), cancellationToken),
            index.AddAsync(new JobIndex.Entry(kind.ProcessingIndex, record.Project, record.Id, record.CreatedAt), cancellationToken)).ConfigureAwait(false);
        if (storeInputsAsync is not null)
        {
            await storeInputsAsync(cancellationToken).ConfigureAwait(false);
        }
        await store.CreateAsync(record, cancellationToken).ConfigureAwait(false);
        await Task.WhenAll(
            events.RequestedAsync(record, cancellationToken),
            Queue.SendMessageAsync(JobMessages.Write(kind.MessageIdName, record.Project, record.Id), cancellationToken)).ConfigureAwait(false);
    }
}
