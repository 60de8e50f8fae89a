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
public sealed class VerifiedApiKeys(ApiKeyStore keys, IOptions<AuthOptions> options, TimeProvider time) : IDisposable
{
    // Only keys that exist and verify are kept, so the count is bounded by the keys an operator made; the capacity
    // only guards memory if someone makes a great many.
    private readonly TimedCache<ApiKeyInfo> _verified = new(time, capacity: 10_000);

    /// <summary>The key's record when <paramref name="key"/> is a stored key (revoked or not); null otherwise.</summary>
    public async Task<ApiKeyInfo?> VerifyAsync(string key, CancellationToken cancellationToken)
    {
        var remembered = options.Value.ApiKeyCacheDuration;
        if (remembered <= TimeSpan.Zero)
        {
            return await keys.VerifyAsync(key, cancellationToken).ConfigureAwait(false);
        }
        var hash = Convert.ToHexString(ApiKeySecret.Hash(key));
        if (_verified.TryGet(hash, out var known))
        {
            return known;
        }
        var verified = await keys.VerifyAsync(key, cancellationToken).ConfigureAwait(false);
        if (verified is { IsRevoked: false })
        {
            _verified.Set(hash, verified, remembered);
        }
        return verified;
    }

    public void Dispose() => _verified.Dispose();
}
