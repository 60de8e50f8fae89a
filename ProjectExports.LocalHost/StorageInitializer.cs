using ProjectExports.Storage;

namespace ProjectExports.LocalHost;

/// <summary>
/// Creates every table, queue and container before the LocalHost serves or listens, and before an operator's command,
/// so Azurite (or any fresh account) needs no setup step. The Functions app creates nothing: in Azure the
/// infrastructure (infra/app/storage.bicep) makes them all.
/// </summary>
public sealed class StorageInitializer(StorageClients clients) : IHostedService
{
    public static IReadOnlyList<string> Tables { get; } = [StorageNames.ProjectConfigurationTable, StorageNames.ExportsTable, StorageNames.JobIndexTable,
        StorageNames.AuditLogTable, StorageNames.ImportsTable, StorageNames.ApiKeysTable, StorageNames.ProjectGrantsTable, StorageNames.ProjectsTable];

    public static IReadOnlyList<string> Queues { get; } = [StorageNames.ExportQueue, StorageNames.ExportPoisonQueue, StorageNames.ImportQueue, StorageNames.ImportPoisonQueue];

    public static IReadOnlyList<string> Containers { get; } = [StorageNames.ExportContainer, StorageNames.ImportContainer];

    public Task StartAsync(CancellationToken cancellationToken) => EnsureCreatedAsync(clients, cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Creates whatever of them does not exist yet; the rest is left as it is.</summary>
    public static async Task EnsureCreatedAsync(StorageClients clients, CancellationToken cancellationToken)
    {
        var work = new List<Task>();
        work.AddRange(Tables.Select(t => clients.Tables.GetTableClient(t).CreateIfNotExistsAsync(cancellationToken)));
        work.AddRange(Queues.Select(q => clients.Queues.GetQueueClient(q).CreateIfNotExistsAsync(cancellationToken: cancellationToken)));
        work.AddRange(Containers.Select(c => clients.Blobs.GetBlobContainerClient(c).CreateIfNotExistsAsync(cancellationToken: cancellationToken)));
        await Task.WhenAll(work);
    }
}
