using ProjectExports.Jobs;
using ProjectExports.Security;

namespace ProjectExports.Exports;

/// <summary>Creates export jobs.</summary>
public sealed class ExportRequests(JobRequests<ExportRecord> jobs, TimeProvider time)
{
    public async Task<ExportRecord> RequestAsync(string projectId, ExportSelection selection, ExportFormat format, Caller caller, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var record = new ExportRecord
        {
            Id = ExportIds.New(now),
            Project = projectId,
            CreatedAt = now,
            CreatedBy = caller.UserId,
            CreatedByApiKey = caller.ApiKeyId,
            IncludeIdentityOverrides = selection.IncludeIdentityOverrides,
            IncludeTags = selection.IncludeTags,
            Selection = selection.Names,
            Format = format,
        };
        await jobs.SubmitAsync(record, storeInputsAsync: null, cancellationToken).ConfigureAwait(false);
        return record;
    }
}
