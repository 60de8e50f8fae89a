using Azure.Data.Tables;
using Azure.Storage.Queues;

namespace ProjectExports.Storage;

/// <summary>
/// Creates the tables, queues and container on first use, once per process. Azure installs get them from
/// the infrastructure too; this keeps Azurite and fresh accounts working without a setup step.
/// </summary>
public sealed class StorageInitializer(StorageClients clients)
{
    private readonly Lock _gate = new();
    private Task? _created;

    public Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            // A failed attempt (storage not up yet) is retried by the next caller instead of being cached.
            if (_created is null || _created.IsFaulted || _created.IsCanceled)
            {
                // With the request deadlines whoever starts it, so an API request never waits on a patient attempt;
                // a background caller that finds it failed simply starts another.
                using (StorageClients.BeginRequestScope())
                {
                    _created = CreateAllAsync(clients);
                }
            }
            return _created.WaitAsync(cancellationToken);
        }
    }

    private static async Task CreateAllAsync(StorageClients clients)
    {
        string[] tables = [StorageNames.ProjectConfigurationTable, StorageNames.ExportsTable, StorageNames.JobIndexTable, StorageNames.AuditLogTable,
            StorageNames.ImportsTable, StorageNames.ApiKeysTable, StorageNames.ProjectGrantsTable, StorageNames.ProjectsTable];
        string[] queues = [StorageNames.ExportQueue, StorageNames.ExportPoisonQueue, StorageNames.ImportQueue, StorageNames.ImportPoisonQueue];
        var work = new List<Task>();
        work.AddRange(tables.Select(t => clients.Tables.GetTableClient(t).CreateIfNotExistsAsync()));
        work.AddRange(queues.Select(q => clients.Queues.GetQueueClient(q).CreateIfNotExistsAsync()));
        work.Add(clients.Blobs.GetBlobContainerClient(StorageNames.ExportContainer).CreateIfNotExistsAsync());
        work.Add(clients.Blobs.GetBlobContainerClient(StorageNames.ImportContainer).CreateIfNotExistsAsync());
        await Task.WhenAll(work).ConfigureAwait(false);
    }
}
