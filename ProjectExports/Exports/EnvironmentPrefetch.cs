using System.Threading.Channels;
using ProjectExports.Projects;

namespace ProjectExports.Exports;

/// <summary>
/// Reads one environment's partitions ahead of the writer: its feature states and segment overrides whole (they are
/// sorted before writing), its identity overrides into a bounded channel that the writer drains in the partition's
/// order. Several environments read at once, so the export waits on storage about as long as the slowest
/// partition, while memory holds at most <see cref="IdentityBuffer"/> identity overrides per environment.
/// </summary>
internal sealed class EnvironmentPrefetch : IAsyncDisposable
{
    /// <summary>About one page of the table service (1,000 entities): reading one page ahead keeps a partition streaming.</summary>
    internal const int IdentityBuffer = 1_000;

    private readonly ProjectStore _store;
    private readonly string _projectId;
    private readonly string _environmentId;
    private readonly CancellationTokenSource _cancellation;
    private Channel<StoredIdentityOverride>? _identities;
    private Task? _identityReader;

    /// <param name="states">The environment's states when already read (a selection reads them first); otherwise they are read now.</param>
    public EnvironmentPrefetch(ProjectStore store, string projectId, string environmentId, CancellationToken cancellationToken, StoredEnvironmentStates? states = null)
    {
        _store = store;
        _projectId = projectId;
        _environmentId = environmentId;
        _cancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        States = states is not null ? Task.FromResult(states) : StoredEnvironmentStates.ReadAsync(store, projectId, environmentId, _cancellation.Token);
    }

    public Task<StoredEnvironmentStates> States { get; }

    /// <summary>Starts reading identity overrides (once); they wait in the channel until <see cref="ReadIdentityOverridesAsync"/>.</summary>
    public void StartIdentityOverrides()
    {
        if (_identities is not null)
        {
            return;
        }
        _identities = Channel.CreateBounded<StoredIdentityOverride>(new BoundedChannelOptions(IdentityBuffer) { SingleReader = true, SingleWriter = true });
        _identityReader = PumpAsync(_identities.Writer, _cancellation.Token);
    }

    public IAsyncEnumerable<StoredIdentityOverride> ReadIdentityOverridesAsync(CancellationToken cancellationToken)
    {
        StartIdentityOverrides();
        return _identities!.Reader.ReadAllAsync(cancellationToken);
    }

    private async Task PumpAsync(ChannelWriter<StoredIdentityOverride> writer, CancellationToken cancellationToken)
    {
        try
        {
            await _store.ReadIdentityOverridesAsync(_projectId, _environmentId, StoredRows.IdentityOverride, async (identityOverrides, token) =>
            {
                foreach (var identityOverride in identityOverrides)
                {
                    await writer.WriteAsync(identityOverride, token).ConfigureAwait(false);
                }
            }, cancellationToken).ConfigureAwait(false);
            writer.Complete();
        }
        catch (Exception e)
        {
            writer.Complete(e); // the writer sees the failure when it reaches this environment
        }
    }

    /// <summary>Stops reads the writer no longer needs (after a failure) and observes every task, so none faults unobserved.</summary>
    public async ValueTask DisposeAsync()
    {
        await _cancellation.CancelAsync().ConfigureAwait(false);
        Task[] reads = _identityReader is null ? [States] : [States, _identityReader];
        await Task.WhenAll(reads).ContinueWith(static _ => { }, TaskScheduler.Default).ConfigureAwait(false);
        _cancellation.Dispose();
    }
}

/// <summary>
/// The read-ahead window over a document's environments, once <see cref="Start"/> names them: taking environment i
/// starts the reads of the next <see cref="ExportDocumentWriter.EnvironmentReadAhead"/> environments' states and of the
/// next <see cref="ExportDocumentWriter.IdentityReadAhead"/> environments' identity overrides.
/// </summary>
internal sealed class EnvironmentReads(ProjectStore store, string projectId, bool identityOverrides, CancellationToken cancellationToken)
    : IAsyncDisposable
{
    private EnvironmentPrefetch?[] _reads = [];
    private StoredEnvironmentStates?[]? _statesRead;

    /// <summary>The environments, in the order they are written; null until <see cref="Start"/>.</summary>
    public IReadOnlyList<ProjectEnvironment>? Environments { get; private set; }

    /// <param name="statesRead">The environments' states when already read (a selection reads them first).</param>
    public void Start(IReadOnlyList<ProjectEnvironment> environments, StoredEnvironmentStates?[]? statesRead = null)
    {
        Environments = environments;
        _reads = new EnvironmentPrefetch?[environments.Count];
        _statesRead = statesRead;
        ReadAhead(0);
    }

    private void ReadAhead(int current)
    {
        for (var ahead = current; ahead < Math.Min(_reads.Length, current + ExportDocumentWriter.EnvironmentReadAhead); ahead++)
        {
            if (_reads[ahead] is null && _statesRead is not null)
            {
                // Handed over, not kept: the written environments' states are let go.
                (_reads[ahead], _statesRead[ahead]) = (new EnvironmentPrefetch(store, projectId, Environments![ahead].Id, cancellationToken, _statesRead[ahead]), null);
            }
            var read = _reads[ahead] ??= new EnvironmentPrefetch(store, projectId, Environments![ahead].Id, cancellationToken);
            if (identityOverrides && ahead < current + ExportDocumentWriter.IdentityReadAhead)
            {
                read.StartIdentityOverrides();
            }
        }
    }

    /// <summary>Hands environment <paramref name="index"/>'s reads to the caller, who disposes them once written.</summary>
    public EnvironmentPrefetch Take(int index)
    {
        ReadAhead(index);
        var read = _reads[index]!;
        _reads[index] = null;
        return read;
    }

    /// <summary>Stops and observes the reads of environments never written (the export failed).</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var read in _reads.OfType<EnvironmentPrefetch>())
        {
            await read.DisposeAsync().ConfigureAwait(false);
        }
    }
}
