using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace ProjectExports.Tests.Imports;

/// <summary>
/// Buffers of at least <c>minimumBytes</c> returned to ArrayPool&lt;byte&gt;.Shared while it listens: the pool keeps
/// what it is given, so a large one returned stays on the process's heap (see <see cref="PoolWatchingCollection"/>).
/// </summary>
internal sealed class SharedPoolReturns(int minimumBytes) : EventListener
{
    private const int BufferReturnedEventId = 3;
    private readonly int _sharedPoolId = ArrayPool<byte>.Shared.GetHashCode();

    public ConcurrentBag<int> Sizes { get; } = [];

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "System.Buffers.ArrayPoolEventSource") EnableEvents(eventSource, EventLevel.Verbose);
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (e.EventId != BufferReturnedEventId || e.Payload is not [_, int size, int poolId] || size < minimumBytes || poolId != _sharedPoolId) return;
        Sizes.Add(size);
    }
}
