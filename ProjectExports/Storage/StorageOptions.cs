namespace ProjectExports.Storage;

/// <summary>
/// Storage call deadlines, bound from section <c>Storage</c> (app settings <c>Storage__…</c>). An API request must
/// answer 503 within seconds when the account hangs, while builds, imports and cleanup are better served by patience:
/// the queue retries them anyway, and a slow minute should not cost a delivery. And how much is written at once.
/// </summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    /// <summary>Calls made while serving an API request (and by the command line): about 4 s at worst by default.</summary>
    public StorageRetrySettings Requests { get; set; } = new()
    {
        NetworkTimeout = TimeSpan.FromSeconds(2),
        MaxRetries = 1,
        Delay = TimeSpan.FromMilliseconds(200),
        MaxDelay = TimeSpan.FromSeconds(1),
    };

    /// <summary>Everything else (queue-triggered builds and imports, cleanup, LocalHost start-up): the Azure SDK's defaults.</summary>
    public StorageRetrySettings Background { get; set; } = new()
    {
        NetworkTimeout = TimeSpan.FromSeconds(100),
        MaxRetries = 3,
        Delay = TimeSpan.FromSeconds(0.8),
        MaxDelay = TimeSpan.FromMinutes(1),
    };

    /// <summary>
    /// Bytes of rows this instance writes to Table Storage at once, across imports (<see cref="WriteBudget"/>); it holds
    /// several times as much in pages and request bodies meanwhile. By default one transaction's worth, one partition's
    /// round at a time: on Azurite an L import was as fast with two or with no bound (docs/performance.md).
    /// </summary>
    public long WriteBytesInFlight { get; set; } = PagedPartition.RoundBytes;

    /// <summary>GET /api/health answers 503 once its check takes longer than this, whatever the retry settings.</summary>
    public TimeSpan HealthTimeout { get; set; } = TimeSpan.FromSeconds(3);
}
