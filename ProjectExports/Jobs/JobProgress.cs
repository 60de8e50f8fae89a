using Azure;
using Microsoft.Extensions.Logging;

namespace ProjectExports.Jobs;

/// <summary>
/// Writes a PROCESSING record's progress at most once per <see cref="Interval"/> (and at each new phase), so a person
/// polling the record sees it move while storage sees a handful of writes, not one per row. Each write is an If-Match
/// merge on the ETag this run holds, and <see cref="ETag"/> follows it, so the run can still settle the record; a
/// record that someone else changed (settled by another delivery, or failed as stalled) answers 412, and from then
/// on this run reports nothing, so a progress write never changes a settled record.
/// </summary>
public sealed class JobProgress<TRecord>(
    JobStore<TRecord> store, TRecord record, ETag etag, TimeProvider time, ILogger logger) : IDisposable
    where TRecord : JobRecord<TRecord>
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    /// <summary>A progress write waits no longer than this: the work it reports on must not stall behind it.</summary>
    public static readonly TimeSpan WriteTimeout = TimeSpan.FromSeconds(5);

    // One write at a time; a report that finds one in flight is superseded by it and dropped.
    private readonly SemaphoreSlim _writing = new(1, 1);
    private DateTimeOffset _lastWrite = DateTimeOffset.MinValue;
    private string? _lastPhase;
    private bool _stopped;

    /// <summary>The record's ETag after this run's last progress write: what settling the record must match.</summary>
    public ETag ETag { get; private set; } = etag;

    public async ValueTask ReportAsync(ProcessingProgress progress, CancellationToken cancellationToken)
    {
        if (_stopped || (progress.Phase == _lastPhase && time.GetUtcNow() - _lastWrite < Interval) || !_writing.Wait(0))
        {
            return;
        }
        try
        {
            var now = time.GetUtcNow();
            if (_stopped || (progress.Phase == _lastPhase && now - _lastWrite < Interval))
            {
                return;
            }
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(WriteTimeout);
            var written = await store.TryWriteProgressAsync(record.Project, record.Id, progress, ETag, deadline.Token).ConfigureAwait(false);
            if (written is { } next)
            {
                ETag = next;
                _lastWrite = now;
                _lastPhase = progress.Phase;
            }
            else
            {
                _stopped = true;
            }
        }
        catch (Exception e) when (e is RequestFailedException or AggregateException
            || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // Progress is for people: a failed write must not fail the work. If the write took effect unseen, the
            // settle's If-Match fails and the delivery is retried, as after any lost race.
            logger.LogWarning(e, "Progress of {RecordId} in project {ProjectId} could not be written; no more progress is reported in this run.", record.Id, record.Project);
            _stopped = true;
        }
        finally
        {
            _writing.Release();
        }
    }

    public void Dispose() => _writing.Dispose();
}
