using Azure.Data.Tables;

namespace ProjectExports.Jobs;

/// <summary>
/// What one kind of asynchronous work (an export, an import) tells the shared job machinery: where its records,
/// queue messages, index entries and files live, how its own fields are stored, how its audit entries read and how
/// long it is kept. Creating, listing, running, settling, auditing and cleaning up are the same for every kind.
/// </summary>
public abstract class JobKind<TRecord>(JobPlaces places) where TRecord : JobRecord<TRecord>
{
    /// <summary>"export", "import": how log lines and messages name one job of this kind.</summary>
    public string Noun => places.Noun;

    /// <summary>The table of records: PartitionKey = project id, RowKey = the job's id (newest first).</summary>
    public string TableName => places.Table;

    public string QueueName => places.Queue;

    /// <summary>The queue message's name for the job's id, beside <c>projectId</c> ("exportId", "importId").</summary>
    public string MessageIdName => places.MessageIdName;

    /// <summary>The <see cref="JobIndex"/> partition holding every job of this kind until it is deleted.</summary>
    public string ExpiryIndex => places.IndexPrefix + "expiry";

    /// <summary>The <see cref="JobIndex"/> partition holding every job of this kind until it finishes.</summary>
    public string ProcessingIndex => places.IndexPrefix + "processing";

    /// <summary>The related object type of the kind's audit entries ("PROJECT_EXPORT").</summary>
    public string AuditObjectType => places.AuditObjectType;

    public string BlobContainer => places.BlobContainer;

    /// <summary>How long jobs of this kind (records and files) are kept; read each time, so a change applies at once.</summary>
    public abstract TimeSpan Retention { get; }

    /// <summary>The blobs a job owns in <see cref="BlobContainer"/>, deleted with its record.</summary>
    public abstract IEnumerable<string> BlobNames(string projectId, string id);

    /// <summary>A record holding the kind's own fields of a stored row; the store sets the shared ones.</summary>
    public abstract TRecord ReadFields(TableEntity entity);

    public abstract void WriteFields(TRecord record, TableEntity entity);

    /// <summary>The audit entry's text when a job is requested.</summary>
    public abstract string RequestedLog(TRecord record);

    /// <summary>The audit entry's text when a job succeeded or failed.</summary>
    public abstract string FinishedLog(TRecord record);

    /// <summary>What a job still PROCESSING after <paramref name="timeout"/> is failed with.</summary>
    public abstract JobError Stalled(TimeSpan timeout);
}
