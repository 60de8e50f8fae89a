using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace ProjectExports.Security;

/// <summary>
/// API keys this instance has verified in the last <see cref="AuthOptions.ApiKeyCacheDuration"/>, so a busy
/// caller pays the key's storage read once per period instead of on every call. The price is that a key revoked
/// (or replaced) from elsewhere, such as the operator's command line, keeps working on an instance that verified
/// it for at most that long. Only good keys are remembered: an unknown or revoked key is read from storage every
/// time, so a new key works at once and a refusal is never stale. Entries are found by the SHA-256 of the presented
/// key, the value that is compared with the stored hash anyway; the key itself is not kept.
/// </summary>
public sealed class VerifiedApiKeys(ApiKeyStore keys, IOptions<AuthOptions> options, TimeProvider time)
{
    // Only keys that exist and verify are added, so the count is bounded by the keys an operator made; the cap
    // only guards memory if someone makes a great many.
    private const int MaxRemembered = 10_000;

    private readonly ConcurrentDictionary<string, (ApiKeyInfo Key, DateTimeOffset Until)> _verified = new(StringComparer.Ordinal);

    /// <summary>The key's record when <paramref name="key"/> is a stored key (revoked or not); null otherwise.</summary>
    public async Task<ApiKeyInfo?> VerifyAsync(string key, CancellationToken cancellationToken)
    {
        var remembered = options.Value.ApiKeyCacheDuration;
        if (remembered <= TimeSpan.Zero)
        {
            return await keys.VerifyAsync(key, cancellationToken).ConfigureAwait(false);
        }
        var hash = Convert.ToHexString(ApiKeySecret.Hash(key));
        var now = time.GetUtcNow();
        if (_verified.TryGetValue(hash, out var entry) && entry.Until > now)
        {
            return entry.Key;
        }
        var verified = await keys.VerifyAsync(key, cancellationToken).ConfigureAwait(false);
        if (verified is { IsRevoked: false })
        {
            if (_verified.Count >= MaxRemembered)
            {
                _verified.Clear();
            }
            _verified[hash] = (verified, now + remembered);
        }
        else
        {
            _verified.TryRemove(hash, out _);
        }
        return verified;
    }
}
