using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;

namespace ProjectExports.LocalHost;

/// <summary>
/// Tells a listener in this process that a message was just sent to one of the app's queues. The LocalHost adds it to
/// the app's queue clients (a <see cref="Storage.StoragePipelinePolicy"/>), where it sees every message put that
/// storage accepted. The listeners wait here between polls of an empty queue, so work this process queues starts at
/// once rather than at the next poll, and an idle queue is polled every MaxPollingInterval rather than every few
/// milliseconds. A signal is only a hint to poll: messages are still taken from the queue, so none is lost when nobody
/// waits, and several signals before a poll count as one. The Functions host polls on its own schedule and has none.
/// </summary>
public sealed class QueueSignals : HttpPipelinePolicy
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

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        ProcessNext(message, pipeline);
        SignalIfPut(message);
    }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
        SignalIfPut(message);
    }

    /// <summary>Put Message is a POST to <c>…/{queue}/messages</c>, answered 201 Created.</summary>
    private void SignalIfPut(HttpMessage message)
    {
        var path = message.Request.Uri.Path.TrimEnd('/');
        if (message.Request.Method == RequestMethod.Post && message.Response.Status == 201 && path.EndsWith("/messages", StringComparison.Ordinal))
        {
            var queue = path[..^"/messages".Length];
            MessageSent(queue[(queue.LastIndexOf('/') + 1)..]);
        }
    }

    private SemaphoreSlim Signal(string queueName) => _signals.GetOrAdd(queueName, _ => new SemaphoreSlim(0, 1));
}
