using ProjectExports.Audit;

namespace ProjectExports.Exports;

/// <summary>The audit entries of an export's life, each written once however often its step runs.</summary>
public sealed class ExportEvents(AuditLog audit)
{
    public const string RelatedObjectType = "PROJECT_EXPORT";

    public Task RequestedAsync(ExportRecord record, CancellationToken cancellationToken) =>
        WriteAsync(record, record.CreatedAt, "requested", "Project export requested", cancellationToken);

    /// <summary>"Project export completed" or "Project export failed", stamped with the record's completion time.</summary>
    public Task FinishedAsync(ExportRecord record, CancellationToken cancellationToken) =>
        record.Status == ExportStatus.Success
            ? WriteAsync(record, record.CompletedAt!.Value, "completed", "Project export completed", cancellationToken)
            : WriteAsync(record, record.CompletedAt!.Value, "failed", "Project export failed", cancellationToken);

    private Task WriteAsync(ExportRecord record, DateTimeOffset at, string eventName, string log, CancellationToken cancellationToken) =>
        audit.WriteAsync(record.Project, at, RelatedObjectType, record.Id, eventName, log, record.CreatedBy, record.CreatedByApiKey, cancellationToken);
}
