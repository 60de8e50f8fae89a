using Microsoft.Extensions.Logging;

namespace ProjectExports.Jobs;

/// <summary>The timer-triggered cleanup: every kind's (<see cref="JobKindCleanup{TRecord}"/>), one after another.</summary>
public sealed class JobCleanup(IEnumerable<IJobCleanup> kinds, TimeProvider time, ILogger<JobCleanup> logger)
{
    public async Task<CleanupResult> RunAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var counts = new List<JobCleanupCount>();
        foreach (var kind in kinds)
        {
            var count = await kind.RunAsync(now, cancellationToken).ConfigureAwait(false);
            logger.LogInformation("Cleanup of {Kind}s: {Stalled} stalled marked failed, {Deleted} past retention deleted.", count.Noun, count.Stalled, count.Deleted);
            counts.Add(count);
        }
        return new CleanupResult(counts);
    }
}
