namespace ProjectExports.Storage;

/// <summary>The storage services the app uses, each with its own clients (see <see cref="StorageClients"/>).</summary>
public enum StorageService
{
    Tables,
    Queues,
    Blobs,
}
