using Azure.Core;
using Azure.Core.Pipeline;
using ProjectExports.Storage;

namespace ProjectExports.Benchmarks.Counting;

/// <summary>
/// Counts the app's requests to one table and the entities they carry, on its table clients (<see cref="Registration"/>):
/// query pages with the rows in their bodies, point reads, transactions with their operations, and single-entity writes.
/// Bodies are counted as they stream by, nothing is buffered. Added per call, inside the app's streamed-reads policy,
/// so a query's body is seen before the app's reader takes it, and a request the client retries counts once.
/// Take a <see cref="Snapshot"/> before and after the work to count: the counters run for the whole process.
/// </summary>
public sealed class StorageCountingPolicy(string table = StorageNames.ProjectConfigurationTable) : HttpPipelinePolicy
{
    private long _queryPages, _pointReads, _transactions, _singleWrites, _entitiesRead, _entitiesWritten;

    public StoragePipelinePolicy Registration => new(StorageService.Tables, this);

    public StorageCounts Snapshot() => new(
        Interlocked.Read(ref _queryPages), Interlocked.Read(ref _pointReads), Interlocked.Read(ref _transactions),
        Interlocked.Read(ref _singleWrites), Interlocked.Read(ref _entitiesRead), Interlocked.Read(ref _entitiesWritten));

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        var kind = Prepare(message);
        ProcessNext(message, pipeline);
        Complete(message, kind);
    }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        var kind = Prepare(message);
        await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
        Complete(message, kind);
    }

    private enum Kind { Other, QueryPage, PointRead, Transaction, SingleWrite }

    private Kind Prepare(HttpMessage message)
    {
        var request = message.Request;
        var path = request.Uri.Path;
        var segment = path[(path.LastIndexOf('/') + 1)..];
        if (segment == "$batch" && request.Method == RequestMethod.Post && request.Content is { } content)
        {
            request.Content = new CountingRequestContent(content, table);
            return Kind.Transaction;
        }
        if (segment != table && !segment.StartsWith(table + "(", StringComparison.Ordinal))
        {
            return Kind.Other;
        }
        if (request.Method != RequestMethod.Get)
        {
            return Kind.SingleWrite;
        }
        return segment == table + "()" ? Kind.QueryPage : Kind.PointRead;
    }

    private void Complete(HttpMessage message, Kind kind)
    {
        switch (kind)
        {
            case Kind.QueryPage:
                Interlocked.Increment(ref _queryPages);
                if (message.Response.Status != 200 || message.Response.ContentStream is not { } body)
                {
                    break;
                }
                if (body is MemoryStream buffered && buffered.TryGetBuffer(out var bytes))
                {
                    // Buffered by the pipeline (a client without the streamed-reads policy): counted where it lies.
                    var counter = new QueryPageRowCounter();
                    counter.Add(bytes);
                    Interlocked.Add(ref _entitiesRead, counter.Rows);
                }
                else
                {
                    message.Response.ContentStream = new CountingReadStream(body, rows => Interlocked.Add(ref _entitiesRead, rows));
                }
                break;
            case Kind.PointRead:
                Interlocked.Increment(ref _pointReads);
                if (message.Response.Status == 200) Interlocked.Increment(ref _entitiesRead);
                break;
            case Kind.Transaction when message.Request.Content is CountingRequestContent { Operations: > 0 and var operations }:
                Interlocked.Increment(ref _transactions);
                Interlocked.Add(ref _entitiesWritten, operations);
                break;
            case Kind.SingleWrite:
                Interlocked.Increment(ref _singleWrites);
                Interlocked.Increment(ref _entitiesWritten);
                break;
        }
    }
}
