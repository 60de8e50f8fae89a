using ProjectExports.Storage;

namespace ProjectExports.Projects;

/// <summary>
/// Reads of the rows stored now at a set of keys, started partition by partition as the caller learns the keys (an
/// import's apply step, as its plan loads), a few partitions at once. Each partition's read keeps the page keys and
/// ETags it saw (<see cref="PageListing"/>), so writing those rows next can start from them. Disposing it cancels the
/// reads still running.
/// </summary>
public sealed class ProjectRowReads : IAsyncDisposable
{
    private readonly Func<string, PagedPartition> _partition;
    private readonly SemaphoreSlim _places;
    private readonly CancellationTokenSource _cancellation = new();
    private readonly List<Task<PartitionRead>> _reads = [];

    internal ProjectRowReads(Func<string, PagedPartition> partition, int parallelPartitions)
    {
        _partition = partition;
        _places = new SemaphoreSlim(parallelPartitions, parallelPartitions);
    }

    private sealed record PartitionRead(string PartitionKey, Dictionary<string, byte[]> Rows, PageListing Listing);

    /// <summary>Starts reading the rows of one partition at <paramref name="rowKeys"/>; a partition started again is read again for its new keys.</summary>
    public void Start(string partitionKey, IEnumerable<string> rowKeys)
    {
        var wanted = rowKeys.ToHashSet(StringComparer.Ordinal);
        _reads.Add(ReadAsync(partitionKey, wanted, _cancellation.Token));
    }

    private async Task<PartitionRead> ReadAsync(string partitionKey, HashSet<string> wanted, CancellationToken cancellationToken)
    {
        await _places.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var (rows, listing) = await _partition(partitionKey).ReadListedAsync(wanted, cancellationToken).ConfigureAwait(false);
            return new PartitionRead(partitionKey, rows, listing);
        }
        finally
        {
            _places.Release();
        }
    }

    /// <summary>
    /// Waits for every read started: the JSON stored at each key that has a row (a key without one is left out), and
    /// each partition's listing of pages (its last read's, for a partition read more than once).
    /// </summary>
    public async Task<ProjectRowsRead> CompleteAsync(CancellationToken cancellationToken)
    {
        using var cancelled = cancellationToken.Register(_cancellation.Cancel);
        var reads = await Task.WhenAll(_reads).ConfigureAwait(false);
        var rows = new Dictionary<ProjectRowKey, byte[]>();
        var listings = new Dictionary<string, PageListing>(StringComparer.Ordinal);
        foreach (var read in reads)
        {
            foreach (var (rowKey, json) in read.Rows) rows[new ProjectRowKey(read.PartitionKey, rowKey)] = json;
            listings[read.PartitionKey] = read.Listing;
        }
        return new ProjectRowsRead(rows, listings);
    }

    public async ValueTask DisposeAsync()
    {
        await _cancellation.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_reads).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Reads left running are the caller's to give up: a failure that mattered reached it through CompleteAsync.
        }
        _cancellation.Dispose();
        _places.Dispose();
    }
}
