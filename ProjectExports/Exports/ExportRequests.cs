using System.Text.Json;
using Azure.Storage.Queues;
using Microsoft.Extensions.Options;
using ProjectExports.Http;
using ProjectExports.Security;
using ProjectExports.Storage;

namespace ProjectExports.Exports;

/// <summary>Creates export records and queues their build; reads them back for the API.</summary>
public sealed class ExportRequests(
    ExportRecordStore records,
    ExportIndex index,
    ExportEvents events,
    StorageClients clients,
    IOptions<ExportOptions> options,
    TimeProvider time)
{
    private QueueClient Queue => clients.Queues.GetQueueClient(StorageNames.ExportQueue);

    /// <summary>
    /// Writes the record (index entries first, so a crash never leaves a record the cleanup cannot find), then
    /// the "requested" audit entry and the queue message at once.
    /// </summary>
    public async Task<ExportRecord> RequestAsync(
        string projectId, ExportSelection selection, Caller caller, CancellationToken cancellationToken)
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
        };
        await Task.WhenAll(
            index.AddAsync(ExportIndex.Expiry, record, cancellationToken),
            index.AddAsync(ExportIndex.Processing, record, cancellationToken)).ConfigureAwait(false);
        await records.CreateAsync(record, cancellationToken).ConfigureAwait(false);
        // Both need only the record, not each other, so they go at once. Should either fail, the caller gets a 503:
        // without its message the record is marked FAILED by the cleanup's stalled-export check; without its
        // "requested" entry the export is still built, and its completion audited.
        var message = JsonSerializer.Serialize(new ExportBuildMessage(projectId, record.Id), ApiJsonContext.Wire.ExportBuildMessage);
        await Task.WhenAll(
            events.RequestedAsync(record, cancellationToken),
            Queue.SendMessageAsync(message, cancellationToken)).ConfigureAwait(false);
        return record;
    }

    /// <summary>The export, unless it does not exist or is past retention (the cleanup may not have run yet).</summary>
    public async Task<(ExportRecord Record, Azure.ETag ETag)?> FindAsync(string projectId, string exportId, CancellationToken cancellationToken)
    {
        var found = await records.GetAsync(projectId, exportId, cancellationToken).ConfigureAwait(false);
        return found is { } f && f.Record.CreatedAt + options.Value.Retention > time.GetUtcNow() ? f : null;
    }
}
