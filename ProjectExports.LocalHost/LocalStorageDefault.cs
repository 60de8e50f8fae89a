using ProjectExports.Storage;

namespace ProjectExports.LocalHost;

/// <summary>
/// The LocalHost and its command line use local Azurite only when no storage connection is configured in either
/// form. A default in appsettings.json would shadow the identity-based form (<c>AzureWebJobsStorage__accountName</c>
/// is a child of the same key), so an operator pointing the command at Azure would silently manage Azurite.
/// </summary>
public static class LocalStorageDefault
{
    public const string Azurite = "UseDevelopmentStorage=true";

    public static bool IsConfigured(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration[StorageNames.ConnectionSetting])
        || configuration.GetSection(StorageNames.ConnectionSetting).GetChildren().Any();

    /// <summary>Adds the Azurite default when nothing else names a storage account.</summary>
    public static void AddTo(IConfigurationManager configuration)
    {
        if (!IsConfigured(configuration))
        {
            configuration.AddInMemoryCollection(new Dictionary<string, string?> { [StorageNames.ConnectionSetting] = Azurite });
        }
    }
}
