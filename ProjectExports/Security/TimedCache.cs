using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Internal;

namespace ProjectExports.Security;

/// <summary>
/// The app's one in-memory cache: a <see cref="MemoryCache"/> holding at most <c>capacity</c> entries, whose entries
/// expire by the app's <see cref="TimeProvider"/> (so tests move time instead of sleeping). An entry is gone at
/// exactly its expiry; when the cache is full, new entries are not kept until it has compacted.
/// </summary>
public sealed class TimedCache<TValue>(TimeProvider time, int capacity) : IDisposable
{
    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = capacity, Clock = new Clock(time) });

    public bool TryGet(string key, out TValue value)
    {
        if (_cache.TryGetValue(key, out var found) && found is TValue typed)
        {
            value = typed;
            return true;
        }
        value = default!;
        return false;
    }

    public void Set(string key, TValue value, TimeSpan duration) =>
        _cache.Set(key, value, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = duration, Size = 1 });

    public void Dispose() => _cache.Dispose();

    /// <summary>The cache's clock is its own interface; this reads the app's.</summary>
    private sealed class Clock(TimeProvider time) : ISystemClock
    {
        public DateTimeOffset UtcNow => time.GetUtcNow();
    }
}
