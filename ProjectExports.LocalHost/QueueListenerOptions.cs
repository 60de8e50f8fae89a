namespace ProjectExports.LocalHost;

/// <summary>
/// The LocalHost's queue polling, bound from section <c>Queue</c>. Defaults mirror host.json's
/// <c>extensions.queues</c>, so a message is treated the same under both hosts.
/// </summary>
public sealed class QueueListenerOptions
{
    public const string SectionName = "Queue";

    /// <summary>First wait after a poll finds the queue empty; each further empty poll doubles it.</summary>
    public TimeSpan MinPollingInterval { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Longest wait between polls of an empty queue (host.json maxPollingInterval).</summary>
    public TimeSpan MaxPollingInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a failed message stays invisible before its next delivery (host.json visibilityTimeout).</summary>
    public TimeSpan VisibilityTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Messages fetched and handled at once (host.json batchSize).</summary>
    public int BatchSize { get; set; } = 16;

    /// <summary>How long a message being handled stays hidden from other consumers (the Functions host's lease).</summary>
    public TimeSpan MessageLease { get; set; } = TimeSpan.FromMinutes(10);
}
