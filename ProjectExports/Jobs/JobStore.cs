using Azure;
using Azure.Data.Tables;
using ProjectExports.Storage;

namespace ProjectExports.Jobs;

/// <summary>
/// The records of one kind of job in its table: PartitionKey = project id, RowKey = the job's id (which sorts newest
/// first). A record leaves PROCESSING only through an If-Match replace, so of several deliveries working on one job
/// exactly one outcome is stored. What the API sees (<see cref="FindAsync"/>, <see cref="ListAsync"/>) excludes jobs
/// past retention, which the cleanup may not have removed yet; the runner and the cleanup read records as stored.
/// </summary>
public sealed class JobStore<TRecord>(JobKind<TRecord> kind, StorageClients clients, TimeProvider time)
    where TRecord : JobRecord<TRecord>
{
    private TableClient Table => clients.Tables.GetTableClient(kind.TableName);

    public Task CreateAsync(TRecord record, CancellationToken cancellationToken) =>
        Table.AddEntityAsync(ToEntity(record), cancellationToken);

    /// <summary>The record as stored, whatever its age, with the ETag to change it by.</summary>
    public async Task<(TRecord Record, ETag ETag)?> GetAsync(string projectId, string id, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(projectId, id, cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue ? (FromEntity(row.Value!), row.Value!.ETag) : null;
    }

    /// <summary>The job as the API shows it: null when it does not exist or is past retention.</summary>
    public async Task<TRecord?> FindAsync(string projectId, string id, CancellationToken cancellationToken)
    {
        var found = await GetAsync(projectId, id, cancellationToken).ConfigureAwait(false);
        return found is { } f && f.Record.CreatedAt > RetainedSince() ? f.Record : null;
    }

    /// <summary>A page of the project's jobs as the API shows them, newest first, after the id <paramref name="after"/>.</summary>
    public Task<TablePage<TRecord>> ListAsync(string projectId, string? after, int limit, CancellationToken cancellationToken) =>
        TablePaging.ReadPageAsync(Table, projectId, after, limit, FromEntity, cancellationToken,
            TableClient.CreateQueryFilter($"CreatedAt gt {RetainedSince()}"));

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

    /// <summary>
    /// Stores <paramref name="finished"/> unless another run finished the job first, and returns the outcome that is
    /// stored now (null when the cleanup removed the record meanwhile). A record still PROCESSING after a lost race
    /// was changed by something else; the delivery fails so that it is retried.
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
        return current.Status != JobStatus.Processing
            ? current
            : throw new InvalidOperationException($"The {kind.Noun} {finished.Id} of project {finished.Project} changed while it was being finished; the delivery will be retried.");
    }

    /// <summary>Deleting what is already gone succeeds: the SDK treats 404 on delete as done.</summary>
    public Task DeleteAsync(string projectId, string id, CancellationToken cancellationToken) =>
        Table.DeleteEntityAsync(projectId, id, ETag.All, cancellationToken);

    /// <summary>The one retention rule of what the API shows: jobs created after this instant.</summary>
    private DateTimeOffset RetainedSince() => time.GetUtcNow() - kind.Retention;

    private TableEntity ToEntity(TRecord record)
    {
        var entity = new TableEntity(record.Project, record.Id)
        {
            ["Status"] = record.Status.ToString(),
            ["CreatedAt"] = record.CreatedAt,
            ["CompletedAt"] = record.CompletedAt,
            ["CreatedBy"] = record.CreatedBy,
            ["CreatedByApiKey"] = record.CreatedByApiKey,
            ["ErrorCode"] = record.Error?.Code,
            ["ErrorMessage"] = record.Error?.Message,
        };
        // A settled record is replaced without progress columns.
        WriteProgress(entity, record.Progress);
        kind.WriteFields(record, entity);
        return entity;
    }

    /// <summary>A row this code cannot read (a value it does not know, broken JSON) is stored data at fault: 409, not 500.</summary>
    private TRecord FromEntity(TableEntity entity)
    {
        try
        {
            return ReadEntity(entity);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidDataException or System.Text.Json.JsonException or InvalidOperationException)
        {
            throw new StoredDataException($"The {kind.Noun} {entity.RowKey} of project {entity.PartitionKey} cannot be read: {e.Message}", e);
        }
    }

    private TRecord ReadEntity(TableEntity entity)
    {
        var status = Enum.Parse<JobStatus>(entity.GetString("Status"));
        JobRecord<TRecord> fields = kind.ReadFields(entity);
        return (TRecord)(fields with
        {
            Id = entity.RowKey,
            Project = entity.PartitionKey,
            Status = status,
            CreatedAt = entity.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.MinValue,
            CompletedAt = entity.GetDateTimeOffset("CompletedAt"),
            CreatedBy = entity.GetString("CreatedBy"),
            CreatedByApiKey = entity.GetString("CreatedByApiKey"),
            Error = entity.GetString("ErrorCode") is { } code ? new JobError(code, entity.GetString("ErrorMessage") ?? "") : null,
            Progress = status == JobStatus.Processing && entity.GetString("ProgressPhase") is { } phase
                ? new ProcessingProgress(phase, entity.GetInt64("ProgressDone") ?? 0, entity.GetInt64("ProgressTotal"))
                : null,
        });
    }

    private static void WriteProgress(TableEntity entity, ProcessingProgress? progress)
    {
        entity["ProgressPhase"] = progress?.Phase;
        entity["ProgressDone"] = progress?.Done;
        entity["ProgressTotal"] = progress?.Total;
    }
}
