using Azure;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.Options;
using ProjectExports.Exports.Flagd;
using ProjectExports.Jobs;
using ProjectExports.Storage;

namespace ProjectExports.Exports;

/// <summary>
/// The export's step: builds its document into its blob. Safe to run any number of times for one export: the blob is
/// committed at most once (If-None-Match), and a redelivery that finds it committed reports that file.
/// </summary>
public sealed class ExportBuilder(ExportDocumentWriter writer, FlagdDocumentWriter flagd, StorageClients clients, IOptions<ExportOptions> options, TimeProvider time)
    : IJobStep<ExportRecord>
{
    /// <summary>The progress phase of a build: environments written of the total.</summary>
    public const string Writing = "writing";

    /// <param name="dequeueCount">
    /// Only a redelivery can find the file already committed by an earlier run that stopped before recording it, so only
    /// a redelivery looks for it first; a duplicate message's first delivery racing another run is caught by the
    /// commit, which never replaces a blob.
    /// </param>
    public async Task<ExportRecord> RunAsync(ExportRecord record, JobProgress<ExportRecord> progress, long dequeueCount, CancellationToken cancellationToken)
    {
        var blob = clients.Blobs.GetBlobContainerClient(StorageNames.ExportContainer).GetBlockBlobClient(record.BlobName);
        var committed = dequeueCount > 1 ? await ReadCommittedAsync(blob, cancellationToken).ConfigureAwait(false) : null;
        IReadOnlyList<FidelityItem>? fidelity = null;
        if (committed is null)
        {
            await using var upload = new ExportBlobStream(blob, options.Value.MaxDocumentBytes, record.Format.MediaType());
            try
            {
                if (record.Format == ExportFormat.Flagd)
                {
                    // One environment, checked at create; null when the project or that environment is gone since.
                    fidelity = await flagd.WriteAsync(upload, record.Project, record.Selection!.Environments![0], record.Selection,
                        record.IncludeIdentityOverrides, cancellationToken).ConfigureAwait(false);
                    if (fidelity is null)
                    {
                        return record.Failed(ExportErrors.ProjectMissing, "The project, or the environment to export, no longer exists.", time.GetUtcNow());
                    }
                }
                else if (!await WriteDocumentAsync(upload, record, progress, cancellationToken).ConfigureAwait(false))
                {
                    return record.Failed(ExportErrors.ProjectMissing, "The project no longer exists.", time.GetUtcNow());
                }
            }
            catch (ExportTooLargeException e)
            {
                return record.Failed(ExportErrors.TooLarge,
                    $"The export document is larger than the limit of {e.LimitBytes:N0} bytes. Export without identity overrides, or ask the operator to raise Exports:MaxDocumentBytes.",
                    time.GetUtcNow());
            }
            var ours = await upload.CommitAsync(time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            // When another run's file stands, its report (read below), not this run's, describes it.
            fidelity = ours is null ? null : fidelity;
            committed = ours
                ?? await ReadCommittedAsync(blob, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"Blob {record.BlobName} exists without export metadata; delete it to rebuild the export.");
        }
        if (record.Format == ExportFormat.Flagd && fidelity is null)
        {
            // The file was committed by an earlier run: its report is in its own metadata.
            await using var file = await blob.OpenReadAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            fidelity = await FidelityReport.ReadFromFileAsync(file, cancellationToken).ConfigureAwait(false);
        }
        return record.Succeeded(committed.SizeBytes, committed.Sha256, committed.CompletedAt) with
        {
            Fidelity = fidelity is null ? null : FidelityReport.ForRecord(fidelity),
        };
    }

    /// <summary>The export document, as JSON or YAML; false when the project does not exist.</summary>
    private async Task<bool> WriteDocumentAsync(ExportBlobStream upload, ExportRecord record, JobProgress<ExportRecord> progress, CancellationToken cancellationToken)
    {
        // YAML is the JSON document's tokens re-emitted as they are written: one writer, so the same content and order.
        await using var yaml = record.Format == ExportFormat.Yaml ? new YamlFromJsonStream(upload) : null;
        return await writer.WriteAsync(yaml ?? (Stream)upload, record.Project, new ExportSelection(record.IncludeTags, record.IncludeIdentityOverrides, record.Selection),
            (done, total, token) => progress.ReportAsync(new ProcessingProgress(Writing, done, total), token), cancellationToken).ConfigureAwait(false);
    }

    public JobError GiveUp(Exception exception, long dequeueCount) =>
        new(ExportErrors.Failed, $"The export could not be built after {dequeueCount} attempts.");

    private static async Task<CommittedExport?> ReadCommittedAsync(BlockBlobClient blob, CancellationToken cancellationToken)
    {
        try
        {
            var properties = await blob.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            return CommittedExport.FromMetadata(properties.Value.Metadata);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }
}
