using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;

namespace ProjectExports.Storage;

/// <summary>
/// The three storage service clients, built from the Functions host's own connection setting so the app
/// and its triggers always use the same account: either <c>AzureWebJobsStorage</c> as a connection string,
/// or the identity-based form <c>AzureWebJobsStorage__accountName</c> (or <c>__blobServiceUri</c>,
/// <c>__queueServiceUri</c>, <c>__tableServiceUri</c>, optional <c>__clientId</c>) with DefaultAzureCredential.
/// </summary>
public sealed class StorageClients
{
    public StorageClients(TableServiceClient tables, QueueServiceClient queues, QueueServiceClient rawQueues, BlobServiceClient blobs)
    {
        Tables = tables;
        Queues = queues;
        RawQueues = rawQueues;
        Blobs = blobs;
    }

    public TableServiceClient Tables { get; }
    public QueueServiceClient Queues { get; }

    /// <summary>
    /// The same queues with message text as stored, for a consumer that decodes each message itself: with
    /// <see cref="Queues"/> one message that is not base64 fails the whole receive.
    /// </summary>
    public QueueServiceClient RawQueues { get; }

    public BlobServiceClient Blobs { get; }

    /// <summary>Queue messages are base64, as the Functions queue trigger expects by default.</summary>
    public static QueueClientOptions QueueOptions => new() { MessageEncoding = QueueMessageEncoding.Base64 };

    /// <summary>Table reads are parsed as they arrive rather than copied first (see <see cref="StreamedTableReadsPolicy"/>).</summary>
    public static TableClientOptions TableOptions
    {
        get
        {
            var options = new TableClientOptions();
            options.AddPolicy(new StreamedTableReadsPolicy(), HttpPipelinePosition.PerCall);
            return options;
        }
    }

    public static StorageClients FromConfiguration(IConfiguration configuration)
    {
        var connectionString = configuration[StorageNames.ConnectionSetting];
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            return new StorageClients(
                new TableServiceClient(connectionString, TableOptions),
                new QueueServiceClient(connectionString, QueueOptions),
                new QueueServiceClient(connectionString),
                new BlobServiceClient(connectionString));
        }

        var section = configuration.GetSection(StorageNames.ConnectionSetting);
        var account = section["accountName"];
        var blobUri = ServiceUri(section["blobServiceUri"], account, "blob");
        var queueUri = ServiceUri(section["queueServiceUri"], account, "queue");
        var tableUri = ServiceUri(section["tableServiceUri"], account, "table");
        if (blobUri is null || queueUri is null || tableUri is null)
        {
            throw new InvalidOperationException(
                $"No storage connection is configured. Set '{StorageNames.ConnectionSetting}' to a connection string " +
                $"(UseDevelopmentStorage=true for Azurite), or set '{StorageNames.ConnectionSetting}__accountName' " +
                "(or __blobServiceUri, __queueServiceUri and __tableServiceUri) for an identity-based connection.");
        }

        TokenCredential credential = new DefaultAzureCredential(new DefaultAzureCredentialOptions
        {
            ManagedIdentityClientId = section["clientId"],
        });
        return new StorageClients(
            new TableServiceClient(tableUri, credential, TableOptions),
            new QueueServiceClient(queueUri, credential, QueueOptions),
            new QueueServiceClient(queueUri, credential),
            new BlobServiceClient(blobUri, credential));
    }

    private static Uri? ServiceUri(string? explicitUri, string? account, string service) =>
        !string.IsNullOrWhiteSpace(explicitUri) ? new Uri(explicitUri)
        : !string.IsNullOrWhiteSpace(account) ? new Uri($"https://{account}.{service}.core.windows.net")
        : null;
}
