using System.Threading.RateLimiting;

namespace ProjectExports.Storage;

/// <summary>
/// Bounds the bytes of rows being written at once, across partitions and across writers. A round of a
/// <see cref="PagedPartition"/> write holds its pages, and the Tables client holds them again as base64 within its
/// request body, several times the rows' size until the transaction answers; so memory follows the bytes in flight,
/// not the number of partitions written at once. Rounds wait in order; one larger than the whole budget goes alone.
/// </summary>
public sealed class WriteBudget : IDisposable
{
    private const int UnitBytes = 16 * 1024;

    /// <summary>The smallest budget: one unit of what it counts in.</summary>
    public const long MinBytes = UnitBytes;

    private readonly ConcurrencyLimiter _units;
    private readonly int _capacity;

    public WriteBudget(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bytes, MinBytes);
        Bytes = bytes;
        _capacity = (int)Math.Min(int.MaxValue, bytes / UnitBytes);
        _units = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = _capacity,
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
    }

    /// <summary>What it lets be in flight at once.</summary>
    public long Bytes { get; }

    /// <summary>Waits until <paramref name="bytes"/> fit beside what is in flight; disposing the lease gives them back.</summary>
    public async ValueTask<IDisposable> AcquireAsync(long bytes, CancellationToken cancellationToken)
    {
        var units = (int)Math.Clamp((bytes + UnitBytes - 1) / UnitBytes, 1, _capacity);
        var lease = await _units.AcquireAsync(units, cancellationToken).ConfigureAwait(false);
        if (!lease.IsAcquired)
        {
            lease.Dispose();
            throw new ObjectDisposedException(nameof(WriteBudget), "The write budget was disposed while a write waited for it.");
        }
        return lease;
    }

    public void Dispose() => _units.Dispose();
}
