using System.Net.Http.Json;
using System.Text.Json;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using ProjectExports.Storage;
using ProjectExports.Tests.Infrastructure;

namespace ProjectExports.Tests.Imports;

/// <summary>
/// At-least-once delivery of the apply step: redelivery, a crash between two writes (a write of real storage failed in
/// the app's table client), and giving up after five failed deliveries.
/// </summary>
public sealed class ImportDeliveryTests(ImportDeliveryTests.CrashFixture host) : IClassFixture<ImportDeliveryTests.CrashFixture>
{
    /// <summary>Throws before a chosen write of a project's configuration, a chosen number of times: a process dying mid-apply.</summary>
    public sealed class CrashingPolicy : ProjectWritesPolicy
    {
        private readonly Lock _gate = new();
        private readonly Dictionary<string, (int After, int Times, int Written)> _crashes = [];

        public int Crashes { get; private set; }

        public void CrashAfter(string projectId, int writes, int times)
        {
            lock (_gate) _crashes[projectId] = (writes, times, 0);
        }

        protected override ValueTask BeforeWriteAsync(string request, CancellationToken cancellationToken)
        {
            string projectId;
            lock (_gate) // writes run a few at once
            {
                projectId = _crashes.Keys.FirstOrDefault(p => Writes(request, p)) ?? "";
                if (!_crashes.TryGetValue(projectId, out var crash) || crash.Times == 0) return ValueTask.CompletedTask;
                if (crash.Written < crash.After)
                {
                    _crashes[projectId] = crash with { Written = crash.Written + 1 };
                    return ValueTask.CompletedTask;
                }
                _crashes[projectId] = crash with { Times = crash.Times - 1, Written = 0 };
                Crashes++;
            }
            throw new IOException($"Simulated crash before a write of project {projectId}.");
        }
    }

    public sealed class CrashFixture : LocalHostFixture
    {
        public CrashingPolicy Hook { get; } = new();

        protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton(Hook.Registration);
    }

    private QueueClient Queue(string name) => host.Storage.Queues.GetQueueClient(name);

    private async Task<List<string>> AuditAsync(string projectId)
    {
        var audit = await host.Http.GetFromJsonAsync<JsonElement>($"/api/projects/{projectId}/audit-log?limit=100");
        return audit.GetProperty("results").EnumerateArray().Select(e => e.GetProperty("log").GetString()!).ToList();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(4)]
    public async Task An_import_that_crashed_between_two_writes_completes_on_retry_without_duplicates(int writesBeforeCrash)
    {
        var source = await host.SeedProjectAsync(seed: 30 + writesBeforeCrash);
        var exported = await host.ExportDocumentAsync(source.Project.Id);
        var target = await host.CreateEmptyProjectAsync();
        var promised = await host.ValidateAsync(target, exported);
        var crashesBefore = host.Hook.Crashes;
        host.Hook.CrashAfter(target, writesBeforeCrash, times: 1);

        var import = await host.ImportAndWaitAsync(target, exported);

        Assert.Equal(crashesBefore + 1, host.Hook.Crashes);
        Assert.Equal("SUCCESS", import.GetProperty("status").GetString());
        Assert.Equal(ImportClient.Summary(promised), ImportClient.Summary(import));
        Assert.Equal(ImportClient.WithoutExportedAt(exported), ImportClient.WithoutExportedAt(await host.ExportDocumentAsync(target)));
        Assert.Single(await AuditAsync(target), log => log.StartsWith("Project import completed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_redelivered_message_changes_nothing()
    {
        var source = await host.SeedProjectAsync(seed: 40);
        var exported = await host.ExportDocumentAsync(source.Project.Id);
        var target = await host.CreateEmptyProjectAsync();
        var import = await host.ImportAndWaitAsync(target, exported);
        var id = import.GetProperty("id").GetString()!;
        var exportBefore = await host.ExportDocumentAsync(target);
        var auditBefore = await AuditAsync(target);

        await Queue(StorageNames.ImportQueue).SendMessageAsync(JsonSerializer.Serialize(new { projectId = target, importId = id }));
        await LocalHostFixture.EventuallyAsync(async () => (await Queue(StorageNames.ImportQueue).GetPropertiesAsync()).Value.ApproximateMessagesCount == 0,
            "the import queue is empty");

        Assert.Equal(import.GetRawText(), (await host.WaitForImportAsync(target, id)).GetRawText());
        Assert.Equal(ImportClient.WithoutExportedAt(exportBefore), ImportClient.WithoutExportedAt(await host.ExportDocumentAsync(target)));
        Assert.Equal(auditBefore.Count + 2, (await AuditAsync(target)).Count); // the two exports of this test, nothing from the import
    }

    [Fact]
    public async Task After_five_failed_deliveries_the_import_fails_with_a_reason_and_the_message_is_poisoned()
    {
        var target = await host.CreateEmptyProjectAsync();
        host.Hook.CrashAfter(target, 0, times: int.MaxValue);

        var import = await host.ImportAndWaitAsync(target, ImportDocuments.Valid);

        Assert.Equal("FAILED", import.GetProperty("status").GetString());
        Assert.Equal("import_failed", import.GetProperty("error").GetProperty("code").GetString());
        Assert.Contains("5 attempts", import.GetProperty("error").GetProperty("message").GetString());
        Assert.DoesNotContain("Simulated crash", import.GetProperty("error").GetProperty("message").GetString()); // internals stay in the logs
        Assert.Equal(JsonValueKind.Null, import.GetProperty("result_summary").ValueKind);
        var id = import.GetProperty("id").GetString()!;
        await LocalHostFixture.EventuallyAsync(async () =>
            (await Queue(StorageNames.ImportPoisonQueue).PeekMessagesAsync(32)).Value.Any(m => m.MessageText.Contains(id, StringComparison.Ordinal)),
            "the message is in the poison queue");
        Assert.Contains(await AuditAsync(target), log => log.StartsWith("Project import failed: The import could not be applied after 5 attempts", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Two_imports_of_one_document_at_once_create_each_entity_once()
    {
        var source = await host.SeedProjectAsync(seed: 45);
        var exported = await host.ExportDocumentAsync(source.Project.Id);
        var target = await host.CreateEmptyProjectAsync();

        var imports = await Task.WhenAll(host.ImportAndWaitAsync(target, exported), host.ImportAndWaitAsync(target, exported));

        Assert.All(imports, i => Assert.Equal("SUCCESS", i.GetProperty("status").GetString()));
        Assert.Equal(ImportClient.WithoutExportedAt(exported), ImportClient.WithoutExportedAt(await host.ExportDocumentAsync(target)));
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("{\"projectId\":\"../x\",\"importId\":\"1\"}")]
    [InlineData("{\"projectId\":\"ghost\",\"importId\":\"25160691311953143760decac5\"}")]
    [InlineData("{\"projectId\":\"ghost\"}")]
    public async Task A_message_that_is_not_an_import_request_ends_in_the_poison_queue(string message)
    {
        await Queue(StorageNames.ImportQueue).SendMessageAsync(message);

        await LocalHostFixture.EventuallyAsync(async () =>
            (await Queue(StorageNames.ImportPoisonQueue).PeekMessagesAsync(32)).Value.Any(m => m.MessageText == message),
            "the message is in the poison queue", TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task A_request_for_an_import_that_does_not_exist_is_dropped_not_poisoned()
    {
        var poisonBefore = (await Queue(StorageNames.ImportPoisonQueue).GetPropertiesAsync()).Value.ApproximateMessagesCount;

        await Queue(StorageNames.ImportQueue).SendMessageAsync("{\"projectId\":\"ghost\",\"importId\":\"2516069131195314376decac589\"}");
        await LocalHostFixture.EventuallyAsync(async () => (await Queue(StorageNames.ImportQueue).GetPropertiesAsync()).Value.ApproximateMessagesCount == 0,
            "the import queue is empty");

        Assert.Equal(poisonBefore, (await Queue(StorageNames.ImportPoisonQueue).GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }
}
