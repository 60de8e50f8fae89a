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
/// <remarks>
/// There are two sets, differing only in their deadlines (<see cref="StorageOptions"/>): calls made inside
/// <see cref="BeginRequestScope"/> (every API request, see <c>ApiGate</c>) use the short one, all others the
/// patient one. Chosen by async flow rather than by injection because the stores serve both paths.
/// </remarks>
public sealed class StorageClients : IDisposable
{
    private static readonly AsyncLocal<bool> ServingRequest = new();
    private readonly ServiceClients _requests;
    private readonly ServiceClients _background;

    private StorageClients(ServiceClients requests, ServiceClients background, WriteBudget tableWrites)
    {
        _requests = requests;
        _background = background;
        TableWrites = tableWrites;
    }

    /// <summary>What every paged write of this instance shares (<see cref="StorageOptions.WriteBytesInFlight"/>).</summary>
    public WriteBudget TableWrites { get; }

    public TableServiceClient Tables => Current.Tables;
    public QueueServiceClient Queues => Current.Queues;
    public BlobServiceClient Blobs => Current.Blobs;

    /// <summary>
    /// The same queues with message text as stored, for a consumer that decodes each message itself: with
    /// <see cref="Queues"/> one message that is not base64 fails the whole receive.
    /// </summary>
    public QueueServiceClient RawQueues => Current.RawQueues;

    private ServiceClients Current => ServingRequest.Value ? _requests : _background;

    /// <summary>Until disposed, storage calls in this async flow (and work it starts) use the request deadlines.</summary>
    public static IDisposable BeginRequestScope()
    {
        var scope = new RequestScope(ServingRequest.Value);
        ServingRequest.Value = true;
        return scope;
    }

    /// <summary>Queue messages are base64, as the Functions queue trigger expects by default.</summary>
    public static QueueClientOptions QueueOptions(StorageRetrySettings retry)
    {
        var options = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        retry.ApplyTo(options.Retry);
        return options;
    }

    private static QueueClientOptions RawQueueOptions(StorageRetrySettings retry)
    {
        var options = new QueueClientOptions();
        retry.ApplyTo(options.Retry);
        return options;
    }

    /// <summary>Table reads are parsed as they arrive rather than copied first (see <see cref="StreamedTableReadsPolicy"/>).</summary>
    public static TableClientOptions TableOptions(StorageRetrySettings retry)
    {
        var options = new TableClientOptions();
        retry.ApplyTo(options.Retry);
        options.AddPolicy(new StreamedTableReadsPolicy(), HttpPipelinePosition.PerCall);
        return options;
    }

    public static BlobClientOptions BlobOptions(StorageRetrySettings retry)
    {
        var options = new BlobClientOptions();
        retry.ApplyTo(options.Retry);
        return options;
    }

    /// <summary>
    /// Clients for the configured account, with <paramref name="options"/> or else those bound from section <c>Storage</c>,
    /// and with the <paramref name="policies"/> of their service added.
    /// </summary>
    public static StorageClients FromConfiguration(
        IConfiguration configuration, StorageOptions? options = null, IEnumerable<StoragePipelinePolicy>? policies = null)
    {
        options ??= configuration.GetSection(StorageOptions.SectionName).Get<StorageOptions>() ?? new StorageOptions();
        var added = policies?.ToList() ?? [];
        T With<T>(T clientOptions, StorageService service) where T : ClientOptions
        {
            foreach (var policy in added.Where(p => p.Service == service))
            {
                clientOptions.AddPolicy(policy.Policy, policy.Position);
            }
            return clientOptions;
        }
        var connectionString = configuration[StorageNames.ConnectionSetting];
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            return Build(r => new ServiceClients(
                new TableServiceClient(connectionString, With(TableOptions(r), StorageService.Tables)),
                new QueueServiceClient(connectionString, With(QueueOptions(r), StorageService.Queues)),
                new QueueServiceClient(connectionString, With(RawQueueOptions(r), StorageService.Queues)),
                new BlobServiceClient(connectionString, With(BlobOptions(r), StorageService.Blobs))));
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
        return Build(r => new ServiceClients(
            new TableServiceClient(tableUri, credential, With(TableOptions(r), StorageService.Tables)),
            new QueueServiceClient(queueUri, credential, With(QueueOptions(r), StorageService.Queues)),
            new QueueServiceClient(queueUri, credential, With(RawQueueOptions(r), StorageService.Queues)),
            new BlobServiceClient(blobUri, credential, With(BlobOptions(r), StorageService.Blobs))));

        StorageClients Build(Func<StorageRetrySettings, ServiceClients> create) =>
            new(create(options.Requests), create(options.Background), new WriteBudget(options.WriteBytesInFlight));
    }

    public void Dispose() => TableWrites.Dispose();

    private static Uri? ServiceUri(string? explicitUri, string? account, string service) =>
        !string.IsNullOrWhiteSpace(explicitUri) ? new Uri(explicitUri)
        : !string.IsNullOrWhiteSpace(account) ? new Uri($"https://{account}.{service}.core.windows.net")
        : null;

    private sealed record ServiceClients(TableServiceClient Tables, QueueServiceClient Queues, QueueServiceClient RawQueues, BlobServiceClient Blobs);

    private sealed class RequestScope(bool previous) : IDisposable
    {
        public void Dispose() => ServingRequest.Value = previous;
    }
}
