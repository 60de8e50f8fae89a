using Azure.Core;

namespace ProjectExports.Storage;

/// <summary>
/// How long one storage call may take: each try is cut off after <see cref="NetworkTimeout"/> (for a streamed
/// response, each read of its body), then retried up to <see cref="MaxRetries"/> times with exponential back-off.
/// </summary>
public sealed class StorageRetrySettings
{
    public TimeSpan NetworkTimeout { get; set; }
    public int MaxRetries { get; set; }
    public TimeSpan Delay { get; set; }
    public TimeSpan MaxDelay { get; set; }

    public void ApplyTo(RetryOptions retry)
    {
        retry.Mode = RetryMode.Exponential;
        retry.NetworkTimeout = NetworkTimeout;
        retry.MaxRetries = MaxRetries;
        retry.Delay = Delay;
        retry.MaxDelay = MaxDelay;
    }

    internal bool IsValid => NetworkTimeout > TimeSpan.Zero && MaxRetries is >= 0 and <= 10 && Delay >= TimeSpan.Zero && MaxDelay >= Delay;
}
