using ProjectExports.Audit;
using ProjectExports.Exports;

namespace ProjectExports.Imports;

/// <summary>The audit entries of an import's life, each written once however often its step runs.</summary>
public sealed class ImportEvents(AuditLog audit)
{
    public const string RelatedObjectType = "PROJECT_IMPORT";

    public Task RequestedAsync(ImportRecord record, CancellationToken cancellationToken) =>
        WriteAsync(record, record.CreatedAt, "requested", $"Project import requested (strategy: {record.Strategy.ToWords()})", cancellationToken);

    /// <summary>"Project import completed: …" with the summary in words, or "Project import failed: …" with the reason.</summary>
    public Task FinishedAsync(ImportRecord record, CancellationToken cancellationToken) =>
        record.Status == ExportStatus.Success
            ? WriteAsync(record, record.CompletedAt!.Value, "completed", $"Project import completed: {record.ResultSummary!.ToWords()}", cancellationToken)
            : WriteAsync(record, record.CompletedAt!.Value, "failed", $"Project import failed: {record.Error?.Message}", cancellationToken);

    private Task WriteAsync(ImportRecord record, DateTimeOffset at, string eventName, string log, CancellationToken cancellationToken) =>
        audit.WriteAsync(record.Project, at, RelatedObjectType, record.Id, eventName, log, record.CreatedBy, record.CreatedByApiKey, cancellationToken);
}
