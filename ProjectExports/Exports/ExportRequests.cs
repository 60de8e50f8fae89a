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
    /// Writes the record (index entries first, so a crash never leaves a record the cleanup cannot find),
    /// the "requested" audit entry, then the queue message.
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
        await events.RequestedAsync(record, cancellationToken).ConfigureAwait(false);
        var message = JsonSerializer.Serialize(new ExportBuildMessage(projectId, record.Id), ApiJsonContext.Default.ExportBuildMessage);
        await Queue.SendMessageAsync(message, cancellationToken).ConfigureAwait(false);
        return record;
    }

    /// <summary>The export, unless it does not exist or is past retention (the cleanup may not have run yet).</summary>
    public async Task<(ExportRecord Record, Azure.ETag ETag)?> FindAsync(string projectId, string exportId, CancellationToken cancellationToken)
    {
        var found = await records.GetAsync(projectId, exportId, cancellationToken).ConfigureAwait(false);
        return found is { } f && f.Record.CreatedAt + options.Value.Retention > time.GetUtcNow() ? f : null;
    }
}
