using System.Text.Json;
using Azure;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ProjectExports.Http;
using ProjectExports.Projects;
using ProjectExports.Storage;

namespace ProjectExports.Exports;

/// <summary>
/// The queue-triggered step: builds one export's document into its blob and finishes the record. Safe to run
/// any number of times for the same message: the blob is committed at most once (If-None-Match), the record
/// changes only from PROCESSING (If-Match), and audit entries have keys derived from the recorded outcome.
/// </summary>
public sealed class ExportBuilder(
    ExportRecordStore records,
    ExportIndex index,
    ExportEvents events,
    ExportDocumentWriter writer,
    StorageClients clients,
    IOptions<ExportOptions> options,
    TimeProvider time,
    ILogger<ExportBuilder> logger)
{
    /// <summary>
    /// Handles one delivery of a queue message. On the last allowed delivery a failure also marks the export
    /// FAILED before the exception goes on to the host, which moves the message to the poison queue.
    /// </summary>
    public async Task HandleMessageAsync(string messageText, long dequeueCount, CancellationToken cancellationToken)
    {
        var message = Parse(messageText);
        try
        {
            await BuildAsync(message.ProjectId, message.ExportId, dequeueCount, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (dequeueCount >= options.Value.MaxDequeueCount && e is not OperationCanceledException)
        {
            logger.LogError(e, "Export {ExportId} of project {ProjectId} failed on its last delivery ({DequeueCount}).", message.ExportId, message.ProjectId, dequeueCount);
            await GiveUpAsync(message, dequeueCount, cancellationToken).ConfigureAwait(false);
            throw;
        }
    }

    /// <param name="dequeueCount">
    /// Which delivery of the message this is. Only a redelivery can find the file already committed by an earlier run
    /// that stopped before recording it, so only a redelivery looks for it first; a duplicate message's first delivery
    /// racing another run is caught by the commit, which never replaces a blob.
    /// </param>
    public async Task BuildAsync(string projectId, string exportId, long dequeueCount, CancellationToken cancellationToken)
    {
        var found = await records.GetAsync(projectId, exportId, cancellationToken).ConfigureAwait(false);
        if (found is not var (record, etag))
        {
            // Dropped, not poisoned: records are written before their message, so this one was removed by retention for good.
            logger.LogWarning("Export {ExportId} of project {ProjectId} does not exist (expired or never written); message dropped.", exportId, projectId);
            return;
        }
        if (record.Status != ExportStatus.Processing)
        {
            await FinishAsync(record, cancellationToken).ConfigureAwait(false); // a redelivery after a crash before the last step
            return;
        }

        using var progress = new RecordProgress<ExportRecord>(records, record, etag, time, logger);
        var blob = clients.Blobs.GetBlobContainerClient(StorageNames.ExportContainer).GetBlockBlobClient(record.BlobName);
        var committed = dequeueCount > 1 ? await ReadCommittedAsync(blob, cancellationToken).ConfigureAwait(false) : null;
        if (committed is null)
        {
            await using var upload = new ExportBlobStream(blob, options.Value.MaxDocumentBytes);
            bool projectExists;
            try
            {
                projectExists = await writer.WriteAsync(upload, projectId, new ExportSelection(record.IncludeTags, record.IncludeIdentityOverrides),
                    (done, total, token) => progress.ReportAsync(new ProcessingProgress(ProcessingProgress.Writing, done, total), token), cancellationToken).ConfigureAwait(false);
            }
            catch (ExportTooLargeException e)
            {
                var message = $"The export document is larger than the limit of {e.LimitBytes:N0} bytes. Export without identity overrides, or ask the operator to raise Exports:MaxDocumentBytes.";
                await CompleteAsync(record.Failed(ExportError.TooLarge, message, time.GetUtcNow()), progress.ETag, cancellationToken).ConfigureAwait(false);
                return;
            }
            if (!projectExists)
            {
                await CompleteAsync(record.Failed(ExportError.ProjectMissing, "The project no longer exists.", time.GetUtcNow()), progress.ETag, cancellationToken).ConfigureAwait(false);
                return;
            }
            committed = await upload.CommitAsync(time.GetUtcNow(), cancellationToken).ConfigureAwait(false)
                ?? await ReadCommittedAsync(blob, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"Blob {record.BlobName} exists without export metadata; delete it to rebuild the export.");
        }
        await CompleteAsync(record.Succeeded(committed.SizeBytes, committed.Sha256, committed.CompletedAt), progress.ETag, cancellationToken).ConfigureAwait(false);
    }

    private async Task GiveUpAsync(ExportBuildMessage message, long dequeueCount, CancellationToken cancellationToken)
    {
        if (await records.GetAsync(message.ProjectId, message.ExportId, cancellationToken).ConfigureAwait(false) is var (record, etag)
            && record.Status == ExportStatus.Processing)
        {
            var failed = record.Failed(ExportError.Failed, $"The export could not be built after {dequeueCount} attempts.", time.GetUtcNow());
            await CompleteAsync(failed, etag, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Moves the record out of PROCESSING unless another run already did; then finishes from what is stored.</summary>
    private async Task CompleteAsync(ExportRecord finished, ETag etag, CancellationToken cancellationToken)
    {
        if (await records.SettleAsync(finished, etag, cancellationToken).ConfigureAwait(false) is { } settled)
        {
            await FinishAsync(settled, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task FinishAsync(ExportRecord record, CancellationToken cancellationToken)
    {
        await events.FinishedAsync(record, cancellationToken).ConfigureAwait(false);
        await index.RemoveAsync(ExportIndex.Processing, record, cancellationToken).ConfigureAwait(false);
    }

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

    /// <summary>
    /// The message, or a <see cref="FormatException"/>: a malformed message fails every delivery, so the host moves it
    /// to the poison queue for someone to look at, instead of it vanishing.
    /// </summary>
    private static ExportBuildMessage Parse(string text)
    {
        (ExportBuildMessage? Message, JsonException? Error) parsed;
        try
        {
            parsed = (JsonSerializer.Deserialize(text, ApiJsonContext.Wire.ExportBuildMessage), null);
        }
        catch (JsonException e)
        {
            parsed = (null, e);
        }
        return parsed.Message is { } message && ProjectIds.IsValid(message.ProjectId) && ExportIds.IsValid(message.ExportId)
            ? message
            : throw new FormatException($"The queue message ({text.Length} characters) is not an export request: JSON {{\"projectId\": …, \"exportId\": …}} with a valid project id and export id.", parsed.Error);
    }
}
