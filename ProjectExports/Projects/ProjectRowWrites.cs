using ProjectExports.Storage;

namespace ProjectExports.Projects;

/// <summary>
/// Writes rows a partition's run at a time as the caller comes to them (an import's apply step, as its plan
/// downloads) and reads each run back once written, as <see cref="ProjectStore.ReadWrittenRowsAsync"/> does, so only
/// the runs in flight are held. A few runs go at once: <see cref="WriteAsync"/> waits for a place, which holds the
/// caller's reading back. References stay whole as <see cref="ProjectStore.WriteRowsAsync(string, IReadOnlyCollection{ProjectRow}, Func{long, long, CancellationToken, ValueTask}, CancellationToken)"/>
/// keeps them: the project's own upserts are written before any row that comes after them, and its deletes last.
/// </summary>
public sealed class ProjectRowWrites : IAsyncDisposable
{
    private readonly string _projectId;
    private readonly Func<string, PagedPartition> _partition;
    private readonly Dictionary<string, PageListing> _listings;
    private readonly Func<IReadOnlyList<ProjectRow>, IReadOnlyDictionary<string, byte[]?>, CancellationToken, ValueTask> _written;
    private readonly SemaphoreSlim _places;
    private readonly CancellationTokenSource _cancellation = new();
    private readonly List<Task> _writes = [];
    private readonly Dictionary<string, Task> _lastOfPartition = new(StringComparer.Ordinal);
    private readonly List<ProjectRow> _ownDeletes = [];

    internal ProjectRowWrites(
        string projectId, Func<string, PagedPartition> partition, int places, IReadOnlyDictionary<string, PageListing>? listings,
        Func<IReadOnlyList<ProjectRow>, IReadOnlyDictionary<string, byte[]?>, CancellationToken, ValueTask> written)
    {
        (_projectId, _partition, _written) = (projectId, partition, written);
        _listings = new Dictionary<string, PageListing>(listings ?? new Dictionary<string, PageListing>(), StringComparer.Ordinal);
        _places = new SemaphoreSlim(places, places);
    }

    /// <summary>
    /// Starts writing one run of a partition's rows (upsert the JSON, delete where it is null; a key given twice keeps
    /// its last) once a place is free, after any earlier run of the same partition. Returns when it has started; its
    /// rows as read back reach the caller's callback. A write that failed before is thrown here.
    /// </summary>
    public async Task WriteAsync(string partitionKey, IReadOnlyList<ProjectRow> rows, CancellationToken cancellationToken)
    {
        TableKeys.RequireKey(partitionKey, "A partition key");
        foreach (var row in rows) ProjectStore.Checked(row);
        await ThrowIfFailedAsync().ConfigureAwait(false);
        if (partitionKey == _projectId)
        {
            _ownDeletes.AddRange(rows.Where(r => r.Json is null));
            var upserts = rows.Where(r => r.Json is not null).ToList();
            if (upserts.Count == 0) return;
            // Nothing written after them may go first: what is in flight ends, then they are written whole.
            await Task.WhenAll(_writes).ConfigureAwait(false);
            await WriteRunAsync(partitionKey, upserts, cancellationToken).ConfigureAwait(false);
            return;
        }
        using (cancellationToken.Register(_cancellation.Cancel))
        {
            try
            {
                await _places.WaitAsync(_cancellation.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // A run failed and cancelled the rest: once they settle, its error is the one to throw.
                await Task.WhenAll(_writes).ConfigureAwait(false);
                throw;
            }
        }
        var write = RunAsync(partitionKey, rows, _lastOfPartition.GetValueOrDefault(partitionKey));
        _lastOfPartition[partitionKey] = write;
        _writes.Add(write);
    }

    /// <summary>Waits for every run started, then writes the project's own deletes.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        using (cancellationToken.Register(_cancellation.Cancel))
        {
            await Task.WhenAll(_writes).ConfigureAwait(false);
        }
        if (_ownDeletes.Count > 0) await WriteRunAsync(_projectId, _ownDeletes, cancellationToken).ConfigureAwait(false);
    }

    private async Task RunAsync(string partitionKey, IReadOnlyList<ProjectRow> rows, Task? earlier)
    {
        try
        {
            if (earlier is not null) await earlier.ConfigureAwait(false);
            await WriteRunAsync(partitionKey, rows, _cancellation.Token).ConfigureAwait(false);
        }
        catch
        {
            // The others stop, and the caller hears of it at its next write.
            await _cancellation.CancelAsync().ConfigureAwait(false);
            throw;
        }
        finally
        {
            _places.Release();
        }
    }

    private async Task WriteRunAsync(string partitionKey, IReadOnlyList<ProjectRow> rows, CancellationToken cancellationToken)
    {
        var last = new Dictionary<string, ProjectRow>(rows.Count, StringComparer.Ordinal);
        foreach (var row in rows) last[row.RowKey] = row;
        var changes = last.ToDictionary(r => r.Key, r => r.Value.Json, StringComparer.Ordinal);
        PageListing? listed;
        lock (_listings)
        {
            _listings.Remove(partitionKey, out listed);
        }
        var paged = _partition(partitionKey);
        var receipt = await paged.WriteAsync(changes, listed, cancellationToken).ConfigureAwait(false);
        var written = last.Values.ToList();
        var stored = await ProjectStore.ReadWrittenAsync(paged, written, receipt, cancellationToken).ConfigureAwait(false);
        await _written(written, stored, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Throws what a run failed with, the first that failed in the order they started.</summary>
    private async Task ThrowIfFailedAsync()
    {
        if (_writes.FirstOrDefault(w => w.IsFaulted) is { } failed) await failed.ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _cancellation.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_writes).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Writes left running are the caller's to give up: a failure that mattered reached it through WriteAsync or CompleteAsync.
        }
        _cancellation.Dispose();
        _places.Dispose();
    }
}
