using System.Net.Http.Json;
using System.Text.Json;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ProjectExports.Exports;
using ProjectExports.Jobs;
using ProjectExports.LocalHost;
using ProjectExports.LocalHost.Demo;
using ProjectExports.Projects;
using ProjectExports.Security;
using ProjectExports.Storage;

namespace ProjectExports.Tests.Infrastructure;

/// <summary>
/// A real LocalHost (Kestrel on a free port, queue listener, cleanup timer) over a private Azurite, driven
/// over HTTP. The clock is a FakeTimeProvider, so retention and stall tests move time instead of sleeping.
/// Subclasses adjust settings per test class.
/// </summary>
public class LocalHostFixture : IAsyncLifetime
{
    private AzuriteProcess? _azurite;
    private WebApplication? _app;
    private Uri? _address;

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero));
    /// <summary>A client that sends <see cref="AdminApiKey"/>: admin of every project.</summary>
    public HttpClient Http { get; private set; } = null!;
    public TestIdentityProvider Identity { get; private set; } = null!;
    public string AdminApiKey { get; private set; } = "";
    public CapturedLogs Logs { get; } = new();
    public string StorageConnectionString => _azurite!.ConnectionString;

    /// <summary>A client of the project-configuration table, built as the app builds it, that also sends each request through <paramref name="policy"/>.</summary>
    public TableClient ProjectTableWith(HttpPipelinePolicy policy)
    {
        var options = StorageClients.TableOptions(new StorageRetrySettings { NetworkTimeout = TimeSpan.FromSeconds(30), MaxRetries = 2, Delay = TimeSpan.FromMilliseconds(100), MaxDelay = TimeSpan.FromSeconds(1) });
        options.AddPolicy(policy, HttpPipelinePosition.PerCall);
        return new TableClient(StorageConnectionString, StorageNames.ProjectConfigurationTable, options);
    }
    public AzuriteProcess Azurite => _azurite!;
    public IServiceProvider Services => _app!.Services;
    public StorageClients Storage => Services.GetRequiredService<StorageClients>();
    public ExportOptions ExportOptions => Services.GetRequiredService<IOptions<ExportOptions>>().Value;
    public JobOptions JobOptions => Services.GetRequiredService<IOptions<JobOptions>>().Value;
    public BlobContainerClient Exports => Storage.Blobs.GetBlobContainerClient(StorageNames.ExportContainer);

    /// <summary>Settings on top of the defaults; failed messages are retried at once so poison tests stay quick.</summary>
    protected virtual IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Queue:VisibilityTimeout"] = "00:00:00",
        ["Queue:MaxPollingInterval"] = "00:00:00.200",
    };

    /// <summary>Adds or replaces services after the app's own registrations (e.g. a <see cref="StoragePipelinePolicy"/> watching storage calls).</summary>
    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    public virtual async Task InitializeAsync()
    {
        _azurite = await AzuriteProcess.StartAsync();
        Identity = await TestIdentityProvider.StartAsync();
        _app = LocalHostApp.Create(["--urls", "http://127.0.0.1:0"], builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                [StorageNames.ConnectionSetting] = _azurite.ConnectionString,
                ["Auth:Authority"] = Identity.Issuer,
                ["Auth:Audience"] = TestIdentityProvider.Audience,
                ["Auth:RequireHttpsMetadata"] = "false",
            });
            builder.Configuration.AddInMemoryCollection(Settings);
            builder.Services.AddSingleton<TimeProvider>(Clock);
            builder.Logging.AddProvider(Logs);
            ConfigureServices(builder.Services);
        });
        await _app.StartAsync();
        _address = _app.ListeningAddress();
        AdminApiKey = ApiKeySecret.Generate().Key;
        await Services.GetRequiredService<ApiKeyStore>().SaveAsync(AdminApiKey, "test admin", allProjects: true, CancellationToken.None);
        Http = CreateClient("Api-Key " + AdminApiKey);
    }

    /// <summary>A client that sends this Authorization header value, or none.</summary>
    public HttpClient CreateClient(string? authorization)
    {
        var client = new HttpClient { BaseAddress = _address };
        if (authorization is not null)
        {
            client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", authorization);
        }
        return client;
    }

    public async Task DisposeAsync()
    {
        Http?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }
        if (Identity is not null)
        {
            await Identity.DisposeAsync();
        }
    }

    public const string SeededProjectName = "Test project";

    /// <summary>Saves a generated project under a fresh id and returns it.</summary>
    public async Task<ProjectSnapshot> SeedProjectAsync(DemoProjectSpec? spec = null, int seed = 42, string? projectId = null)
    {
        projectId ??= "p-" + Guid.NewGuid().ToString("N")[..12];
        var snapshot = DemoProjectGenerator.Generate(projectId, SeededProjectName, spec ?? DemoProjectSpec.Small, seed);
        await Services.GetRequiredService<ProjectStore>().SaveAsync(snapshot, CancellationToken.None);
        return snapshot;
    }

    public async Task<JsonElement> CreateExportAsync(string projectId, object? body = null)
    {
        using var response = body is null
            ? await Http.PostAsync($"/api/projects/{projectId}/project-exports", null)
            : await Http.PostAsJsonAsync($"/api/projects/{projectId}/project-exports", body);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public async Task<JsonElement> GetExportAsync(string projectId, string exportId)
    {
        using var response = await Http.GetAsync($"/api/projects/{projectId}/project-exports/{exportId}");
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>Polls the API until the export leaves PROCESSING, failing after a deadline.</summary>
    public async Task<JsonElement> WaitForExportAsync(string projectId, string exportId, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            var record = await GetExportAsync(projectId, exportId);
            if (record.GetProperty("status").GetString() != "PROCESSING")
            {
                return record;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Export {exportId} was still PROCESSING after the deadline.");
            }
            await Task.Delay(50);
        }
    }

    public async Task<JsonElement> ExportAndWaitAsync(string projectId, object? body = null)
    {
        var created = await CreateExportAsync(projectId, body);
        return await WaitForExportAsync(projectId, created.GetProperty("id").GetString()!);
    }

    public async Task<byte[]> DownloadAsync(string projectId, string exportId)
    {
        using var response = await Http.GetAsync($"/api/projects/{projectId}/project-exports/{exportId}/download");
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsByteArrayAsync();
    }

    /// <summary>Polls until <paramref name="condition"/> holds, failing after a deadline.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting until {what}.");
            }
            await Task.Delay(50);
        }
    }
}
