using Azure;
using Azure.Data.Tables;
using ProjectExports.Exports;

namespace ProjectExports.Storage;

/// <summary>A record of asynchronous work (an export or an import) that starts PROCESSING and finishes once.</summary>
public interface IProcessingRecord
{
    string Id { get; }
    string Project { get; }
    ExportStatus Status { get; }
}

/// <summary>
/// Records of asynchronous work in one table: PartitionKey = project id, RowKey = the record's id (which sorts newest
/// first). A record leaves PROCESSING only through an If-Match replace, so of several deliveries working on one
/// record exactly one outcome is stored. Subclasses say only how a record maps to its row.
/// </summary>
public abstract class ProcessingRecordStore<TRecord>(StorageClients clients, string tableName)
    where TRecord : class, IProcessingRecord
{
    private TableClient Table => clients.Tables.GetTableClient(tableName);

    protected abstract TableEntity ToEntity(TRecord record);

    protected abstract TRecord FromEntity(TableEntity entity);

    public async Task CreateAsync(TRecord record, CancellationToken cancellationToken)
    {
        await Table.AddEntityAsync(ToEntity(record), cancellationToken).ConfigureAwait(false);
    }

    public async Task<(TRecord Record, ETag ETag)?> GetAsync(string projectId, string id, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(projectId, id, cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue ? (FromEntity(row.Value!), row.Value!.ETag) : null;
    }

    /// <summary>Replaces the record if nobody changed it since <paramref name="etag"/>; false when somebody did.</summary>
    public async Task<bool> TryReplaceAsync(TRecord record, ETag etag, CancellationToken cancellationToken)
    {
        try
        {
            await Table.UpdateEntityAsync(ToEntity(record), etag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 412 or 404)
        {
            return false;
        }
    }

    /// <summary>
    /// Merges progress into a record if nobody changed it since <paramref name="etag"/>, returning its new ETag; null
    /// when somebody did (it was settled, or removed), in which case nothing is written.
    /// </summary>
    public async Task<ETag?> TryWriteProgressAsync(string projectId, string id, ProcessingProgress progress, ETag etag, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(projectId, id);
        WriteProgress(entity, progress);
        try
        {
            var response = await Table.UpdateEntityAsync(entity, etag, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
            return response.Headers.ETag;
        }
        catch (RequestFailedException e) when (e.Status is 412 or 404)
        {
            return null;
        }
    }

    /// <summary>Progress columns of a record's row; a settled record is replaced without them.</summary>
    protected static void WriteProgress(TableEntity entity, ProcessingProgress? progress)
    {
        entity["ProgressPhase"] = progress?.Phase;
        entity["ProgressDone"] = progress?.Done;
        entity["ProgressTotal"] = progress?.Total;
    }

    protected static ProcessingProgress? ReadProgress(TableEntity entity) =>
        entity.GetString("Status") == nameof(ExportStatus.Processing) && entity.GetString("ProgressPhase") is { } phase
            ? new ProcessingProgress(phase, entity.GetInt64("ProgressDone") ?? 0, entity.GetInt64("ProgressTotal"))
            : null;

    /// <summary>
    /// Stores <paramref name="finished"/> unless another run finished the record first, and returns the outcome that
    /// is stored now (null when the cleanup removed the record meanwhile). A record still PROCESSING after a lost
    /// race was changed by something else; the delivery fails so that it is retried.
    /// </summary>
    public async Task<TRecord?> SettleAsync(TRecord finished, ETag etag, CancellationToken cancellationToken)
    {
        if (await TryReplaceAsync(finished, etag, cancellationToken).ConfigureAwait(false))
        {
            return finished;
        }
        if (await GetAsync(finished.Project, finished.Id, cancellationToken).ConfigureAwait(false) is not var (current, _))
        {
            return null;
        }
        return current.Status != ExportStatus.Processing
            ? current
            : throw new InvalidOperationException($"Record {finished.Id} of project {finished.Project} changed while it was being finished; the delivery will be retried.");
    }

    /// <summary>A page of the project's records, newest first, starting after the id <paramref name="after"/>.</summary>
    public async Task<TablePage<TRecord>> ListAsync(string projectId, string? after, int limit, CancellationToken cancellationToken)
    {
        return await TablePaging.ReadPageAsync(Table, projectId, after, limit, FromEntity, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deleting what is already gone succeeds: the SDK treats 404 on delete as done.</summary>
    public Task DeleteAsync(string projectId, string id, CancellationToken cancellationToken) =>
        Table.DeleteEntityAsync(projectId, id, ETag.All, cancellationToken);
}
