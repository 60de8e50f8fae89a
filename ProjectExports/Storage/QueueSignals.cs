using System.Collections.Concurrent;

namespace ProjectExports.Storage;

/// <summary>
/// Tells a listener in this process that a message was just sent to one of the app's queues. The Functions host polls
/// its queues on its own schedule and never waits here; the LocalHost's listeners wait here between polls of an empty
/// queue, so work this process queues starts at once rather than at the next poll, and an idle queue is polled every
/// MaxPollingInterval rather than every few milliseconds. A signal is only a hint to poll: messages are still taken
/// from the queue, so none is lost when nobody waits, and several signals before a poll count as one.
/// </summary>
public sealed class QueueSignals
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _signals = new(StringComparer.Ordinal);

    public void MessageSent(string queueName)
    {
        var signal = Signal(queueName);
        try
        {
            if (signal.CurrentCount == 0)
            {
                signal.Release();
            }
        }
        catch (SemaphoreFullException)
        {
            // Another sender signalled in between: one pending signal is all a listener needs.
        }
    }

    /// <summary>True when a message was sent since the last wait; false when <paramref name="timeout"/> passed first.</summary>
    public Task<bool> WaitAsync(string queueName, TimeSpan timeout, CancellationToken cancellationToken) =>
        Signal(queueName).WaitAsync(timeout, cancellationToken);

    private SemaphoreSlim Signal(string queueName) => _signals.GetOrAdd(queueName, _ => new SemaphoreSlim(0, 1));
}
