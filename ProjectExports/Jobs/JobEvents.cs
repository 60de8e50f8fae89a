using ProjectExports.Audit;

namespace ProjectExports.Jobs;

/// <summary>
/// The audit entries of a job's life, in the kind's words. Each is written once however often its step runs: the
/// entry's key comes from the job and its recorded time.
/// </summary>
public sealed class JobEvents<TRecord>(JobKind<TRecord> kind, AuditLog audit) where TRecord : JobRecord<TRecord>
{
    public Task RequestedAsync(TRecord record, CancellationToken cancellationToken) =>
        WriteAsync(record, record.CreatedAt, "requested", kind.RequestedLog(record), cancellationToken);

    /// <summary>"completed" or "failed", stamped with the record's completion time.</summary>
    public Task FinishedAsync(TRecord record, CancellationToken cancellationToken) =>
        WriteAsync(record, record.CompletedAt!.Value, record.Status == JobStatus.Success ? "completed" : "failed", kind.FinishedLog(record), cancellationToken);

    private Task WriteAsync(TRecord record, DateTimeOffset at, string eventName, string log, CancellationToken cancellationToken) =>
        audit.WriteAsync(record.Project, at, kind.AuditObjectType, record.Id, eventName, log, record.CreatedBy, record.CreatedByApiKey, cancellationToken);
}
