using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using ProjectExports.Exports;
using ProjectExports.Jobs;
using ProjectExports.Storage;
using ProjectExports.Tests.Infrastructure;

namespace ProjectExports.Tests.Exports;

/// <summary>At-least-once delivery, the size limit and poison handling, through the LocalHost's queue listener.</summary>
public sealed class ExportQueueTests(LocalHostFixture host) : IClassFixture<LocalHostFixture>
{
    private QueueClient Queue(string name) => host.Storage.Queues.GetQueueClient(name);

    private async Task<int> BlobCountAsync(string projectId)
    {
        var count = 0;
        await foreach (var _ in host.Exports.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, projectId + "/", CancellationToken.None))
        {
            count++;
        }
        return count;
    }

    private async Task<int> AuditCountAsync(string projectId)
    {
        var audit = await host.Http.GetStringAsync($"/api/projects/{projectId}/audit-log?limit=100");
        return JsonDocument.Parse(audit).RootElement.GetProperty("results").GetArrayLength();
    }

    private async Task WaitUntilQueueIsEmptyAsync() =>
        await LocalHostFixture.EventuallyAsync(async () =>
        {
            var properties = await Queue(StorageNames.ExportQueue).GetPropertiesAsync();
            return properties.Value.ApproximateMessagesCount == 0;
        }, "the export queue is empty");

    [Fact]
    public async Task A_redelivered_message_changes_nothing()
    {
        var project = await host.SeedProjectAsync();
        var done = await host.ExportAndWaitAsync(project.Project.Id);
        var id = done.GetProperty("id").GetString()!;
        var audits = await AuditCountAsync(project.Project.Id);

        await Queue(StorageNames.ExportQueue).SendMessageAsync(JsonSerializer.Serialize(new { projectId = project.Project.Id, exportId = id }));
        await WaitUntilQueueIsEmptyAsync();

        Assert.Equal(done.GetRawText(), (await host.GetExportAsync(project.Project.Id, id)).GetRawText());
        Assert.Equal(audits, await AuditCountAsync(project.Project.Id));
        Assert.Equal(1, await BlobCountAsync(project.Project.Id));
    }

    [Fact]
    public async Task Concurrent_deliveries_of_one_export_commit_one_blob_and_one_result()
    {
        var project = await host.SeedProjectAsync();
        var now = host.Clock.GetUtcNow();
        var record = new ExportRecord { Id = ExportIds.New(now), Project = project.Project.Id, CreatedAt = now };
        await host.Services.GetRequiredService<JobStore<ExportRecord>>().CreateAsync(record, CancellationToken.None);
        var runner = host.Services.GetRequiredService<JobRunner<ExportRecord>>();

        // Three first deliveries (a duplicated message): none looks for a committed blob first, so the commit decides.
        // A delivery that loses the race to settle the record throws to be redelivered, as the queue would.
        async Task DeliverAsync()
        {
            try
            {
                await runner.RunAsync(project.Project.Id, record.Id, dequeueCount: 1, CancellationToken.None);
            }
            catch (InvalidOperationException e) when (e.Message.Contains("will be retried", StringComparison.Ordinal))
            {
                await runner.RunAsync(project.Project.Id, record.Id, dequeueCount: 2, CancellationToken.None);
            }
        }
        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(DeliverAsync)));

        var result = await host.GetExportAsync(project.Project.Id, record.Id);
        Assert.Equal("SUCCESS", result.GetProperty("status").GetString());
        Assert.Equal(1, await BlobCountAsync(project.Project.Id));
        Assert.Equal(1, await AuditCountAsync(project.Project.Id)); // "completed" once (this record skipped the request step)
        var bytes = await host.DownloadAsync(project.Project.Id, record.Id);
        Assert.Equal(result.GetProperty("sha256").GetString(), Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)));
    }

    [Theory]
    [InlineData(1)] // a duplicate message: the build runs and its commit finds the blob
    [InlineData(2)] // a redelivery: the committed blob is found before building
    public async Task A_delivery_after_a_run_that_committed_but_did_not_record_finishes_from_the_committed_file(long dequeueCount)
    {
        var project = await host.SeedProjectAsync();
        var now = host.Clock.GetUtcNow();
        var record = new ExportRecord { Id = ExportIds.New(now), Project = project.Project.Id, CreatedAt = now };
        await host.Services.GetRequiredService<JobStore<ExportRecord>>().CreateAsync(record, CancellationToken.None);
        var earlier = new CommittedExport(2, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("{}"u8)), now);
        await host.Exports.GetBlobClient(record.BlobName).UploadAsync(BinaryData.FromString("{}"),
            new Azure.Storage.Blobs.Models.BlobUploadOptions { Metadata = earlier.ToMetadata() });

        await host.Services.GetRequiredService<JobRunner<ExportRecord>>().RunAsync(project.Project.Id, record.Id, dequeueCount, CancellationToken.None);

        var result = await host.GetExportAsync(project.Project.Id, record.Id);
        Assert.Equal("SUCCESS", result.GetProperty("status").GetString());
        Assert.Equal(earlier.Sha256, result.GetProperty("sha256").GetString());
        Assert.Equal(2, result.GetProperty("size_bytes").GetInt64());
        Assert.Equal("{}", System.Text.Encoding.UTF8.GetString(await host.DownloadAsync(project.Project.Id, record.Id)));
    }

    [Fact]
    public async Task The_size_limit_passes_a_document_of_exactly_the_limit_and_fails_one_byte_over_without_a_blob()
    {
        var project = await host.SeedProjectAsync();
        var first = await host.ExportAndWaitAsync(project.Project.Id);
        var size = first.GetProperty("size_bytes").GetInt64();
        var limit = host.ExportOptions.MaxDocumentBytes;
        try
        {
            host.ExportOptions.MaxDocumentBytes = size;
            var atLimit = await host.ExportAndWaitAsync(project.Project.Id);
            Assert.Equal("SUCCESS", atLimit.GetProperty("status").GetString());
            Assert.Equal(size, atLimit.GetProperty("size_bytes").GetInt64());

            host.ExportOptions.MaxDocumentBytes = size - 1;
            var over = await host.ExportAndWaitAsync(project.Project.Id);
            Assert.Equal("FAILED", over.GetProperty("status").GetString());
            var error = over.GetProperty("error");
            Assert.Equal("export_too_large", error.GetProperty("code").GetString());
            Assert.Contains($"{size - 1:N0} bytes", error.GetProperty("message").GetString());
            Assert.Equal(JsonValueKind.Null, over.GetProperty("size_bytes").ValueKind);
            Assert.False(await host.Exports.GetBlobClient(ExportIds.BlobName(project.Project.Id, over.GetProperty("id").GetString()!)).ExistsAsync());
            Assert.Equal(2, await BlobCountAsync(project.Project.Id));

            var audit = JsonDocument.Parse(await host.Http.GetStringAsync($"/api/projects/{project.Project.Id}/audit-log")).RootElement;
            var overId = over.GetProperty("id").GetString();
            Assert.Equal(["Project export failed", "Project export requested"], audit.GetProperty("results").EnumerateArray()
                .Where(e => e.GetProperty("related_object_id").GetString() == overId).Select(e => e.GetProperty("log").GetString()));
        }
        finally
        {
            host.ExportOptions.MaxDocumentBytes = limit;
        }
    }

    [Fact]
    public async Task A_message_that_fails_every_time_ends_in_the_poison_queue_and_its_export_failed()
    {
        var project = await host.SeedProjectAsync();
        // Damage the stored project so every build attempt throws.
        var table = host.Storage.Tables.GetTableClient(StorageNames.ProjectConfigurationTable);
        var environment = project.Environments[0].Environment.Id;
        await table.UpsertEntityAsync(new TableEntity($"{project.Project.Id}:{environment}", "!state:f0") { ["Data"] = "not json"u8.ToArray() });

        var created = await host.CreateExportAsync(project.Project.Id);
        var record = await host.WaitForExportAsync(project.Project.Id, created.GetProperty("id").GetString()!);

        Assert.Equal("FAILED", record.GetProperty("status").GetString());
        Assert.Equal("export_failed", record.GetProperty("error").GetProperty("code").GetString());
        Assert.Contains("5 attempts", record.GetProperty("error").GetProperty("message").GetString());
        await LocalHostFixture.EventuallyAsync(async () =>
        {
            var poisoned = await Queue(StorageNames.ExportPoisonQueue).PeekMessagesAsync(32);
            return poisoned.Value.Any(m => m.MessageText.Contains(created.GetProperty("id").GetString()!, StringComparison.Ordinal));
        }, "the message is in the poison queue");
        Assert.Equal(0, await BlobCountAsync(project.Project.Id));
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("{\"projectId\":\"../x\",\"exportId\":\"1\"}")]
    [InlineData("{\"projectId\":\"ghost\",\"exportId\":\"25160691311953143760decac5\"}")]
    [InlineData("{\"projectId\":\"ghost\"}")]
    public async Task A_message_that_is_not_an_export_request_ends_in_the_poison_queue(string message)
    {
        await Queue(StorageNames.ExportQueue).SendMessageAsync(message);

        await LocalHostFixture.EventuallyAsync(async () =>
            (await Queue(StorageNames.ExportPoisonQueue).PeekMessagesAsync(32)).Value.Any(m => m.MessageText == message),
            "the message is in the poison queue", TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task A_request_for_an_export_that_does_not_exist_is_dropped_not_poisoned()
    {
        var poisonBefore = (await Queue(StorageNames.ExportPoisonQueue).GetPropertiesAsync()).Value.ApproximateMessagesCount;
        await Queue(StorageNames.ExportQueue).SendMessageAsync("{\"projectId\":\"ghost\",\"exportId\":\"2516069131195314376decac589\"}");
        await WaitUntilQueueIsEmptyAsync();
        Assert.Equal(poisonBefore, (await Queue(StorageNames.ExportPoisonQueue).GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }
}
