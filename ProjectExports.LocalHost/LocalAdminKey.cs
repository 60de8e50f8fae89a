using ProjectExports.Security;

namespace ProjectExports.LocalHost;

/// <summary>
/// Registers the key in <c>LOCAL_ADMIN_API_KEY</c> (set by scripts/run) as an admin key of every project before the
/// server listens, so a local walk-through needs no setup step. Only its hash is stored, under the id it carries.
/// </summary>
public sealed class LocalAdminKey(ApiKeyStore keys, IConfiguration configuration, ILogger<LocalAdminKey> logger) : IHostedService
{
    public const string Setting = "LOCAL_ADMIN_API_KEY";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var key = configuration[Setting];
        if (string.IsNullOrWhiteSpace(key))
        {
            return;
        }
        if (!ApiKeySecret.TryParse(key, out var keyId))
        {
            throw new InvalidOperationException(
                $"{Setting} is not an API key: it must look like {ApiKeySecret.Prefix}<id>_<secret> (id: {ApiKeySecret.IdRule}; secret: 32+ base64url characters). Unset it and scripts/run makes one.");
        }
        await keys.SaveAsync(key, "local admin (LOCAL_ADMIN_API_KEY)", allProjects: true, cancellationToken);
        logger.LogInformation("Registered the local admin API key {KeyId} (admin of all projects).", keyId);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
