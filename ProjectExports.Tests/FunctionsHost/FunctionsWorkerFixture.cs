using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json;
using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ProjectExports.Hosting;
using ProjectExports.Jobs;
using ProjectExports.LocalHost;
using ProjectExports.LocalHost.Demo;
using ProjectExports.Projects;
using ProjectExports.Security;
using ProjectExports.Storage;
using ProjectExports.Tests.Infrastructure;

namespace ProjectExports.Tests.FunctionsHost;

/// <summary>
/// The built Functions app in its own worker process, over a private Azurite, with this test host in the Functions
/// host's place: HTTP through <see cref="Http"/>, queue messages delivered by <see cref="Queues"/>, the timer fired
/// on demand. One worker per test class. The test's own services (same storage) seed projects and keys.
/// </summary>
public sealed class FunctionsWorkerFixture : IAsyncLifetime
{
    private AzuriteProcess? _azurite;
    private TestIdentityProvider? _identity;
    private ServiceProvider? _services;
    private HttpTriggerFront? _front;

    internal FunctionsWorkerHost Host { get; private set; } = null!;
    internal QueueTriggerDelivery Queues { get; private set; } = null!;
    /// <summary>Sends an all-projects admin API key and the function key, as API Management does.</summary>
    public HttpClient Http { get; private set; } = null!;
    public string AdminApiKey { get; private set; } = "";
    /// <summary>
    /// The clock of the test's own services: 15 days behind the worker's real one, so what they write is already
    /// past the default 14-day retention for the worker.
    /// </summary>
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow - TimeSpan.FromDays(15));
    public IServiceProvider Services => _services!;
    public string StorageConnectionString => _azurite!.ConnectionString;

    public static string AppDirectory { get; } = typeof(FunctionsWorkerFixture).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "FunctionsAppDirectory").Value!;

    public async Task InitializeAsync()
    {
        _azurite = await AzuriteProcess.StartAsync();
        _identity = await TestIdentityProvider.StartAsync();
        var settings = new Dictionary<string, string>
        {
            [StorageNames.ConnectionSetting] = _azurite.ConnectionString,
            [CleanupSchedule.Setting] = CleanupSchedule.Default,
            ["Auth__Authority"] = _identity.Issuer,
            ["Auth__Audience"] = TestIdentityProvider.Audience,
            ["Auth__RequireHttpsMetadata"] = "false",
        };
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.ToDictionary(s => s.Key.Replace("__", ":", StringComparison.Ordinal), s => (string?)s.Value))
            .Build();
        _services = new ServiceCollection()
            .AddSingleton<TimeProvider>(Clock)
            .AddSingleton(typeof(Microsoft.Extensions.Logging.ILogger<>), typeof(NullLogger<>))
            .AddProjectExports(configuration)
            .BuildServiceProvider();
        // The Functions app creates no storage: the infrastructure does, so here the test does, before the worker starts.
        await StorageInitializer.EnsureCreatedAsync(_services.GetRequiredService<StorageClients>(), CancellationToken.None);
        AdminApiKey = ApiKeySecret.Generate().Key;
        await _services.GetRequiredService<ApiKeyStore>().SaveAsync(AdminApiKey, "worker test admin", allProjects: true, CancellationToken.None);

        Host = await FunctionsWorkerHost.StartAsync(AppDirectory, settings);
        _front = await HttpTriggerFront.StartAsync(Host, functionKey: Guid.NewGuid().ToString("N"));
        Queues = new QueueTriggerDelivery(Host, new QueueServiceClient(_azurite.ConnectionString), visibilityTimeout: TimeSpan.Zero);
        Http = CreateClient("Api-Key " + AdminApiKey);
    }

    /// <summary>A client of the host's HTTP front with the function key and this Authorization header value, or none.</summary>
    public HttpClient CreateClient(string? authorization)
    {
        var client = new HttpClient { BaseAddress = _front!.Address };
        client.DefaultRequestHeaders.Add("x-functions-key", _front.FunctionKey);
        if (authorization is not null)
        {
            client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", authorization);
        }
        return client;
    }

    public async Task<ProjectSnapshot> SeedProjectAsync(DemoProjectSpec? spec = null, int seed = 42, string? projectId = null)
    {
        projectId ??= "p-" + Guid.NewGuid().ToString("N")[..12];
        var snapshot = DemoProjectGenerator.Generate(projectId, "Test project", spec ?? DemoProjectSpec.Small, seed);
        await Services.GetRequiredService<ProjectStore>().SaveAsync(snapshot, CancellationToken.None);
        return snapshot;
    }

    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await Http.GetAsync(path);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public async Task DisposeAsync()
    {
        Http?.Dispose();
        if (_front is not null) await _front.DisposeAsync();
        if (Host is not null) await Host.DisposeAsync();
        if (_services is not null) await _services.DisposeAsync();
        if (_identity is not null) await _identity.DisposeAsync();
        if (_azurite is not null) await _azurite.DisposeAsync();
    }
}
