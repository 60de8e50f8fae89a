using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Storage.Blobs;
using Microsoft.Extensions.DependencyInjection;
using ProjectExports.Imports;
using ProjectExports.Jobs;
using ProjectExports.LocalHost;
using ProjectExports.Projects;
using ProjectExports.Storage;
using ProjectExports.Tests.Infrastructure;

namespace ProjectExports.Tests.Imports;

/// <summary>
/// The plan made when an import is accepted is the plan applied. The LocalHost runs without its import queue
/// listener, so each test delivers the queue message itself, when it chooses, to the real apply step.
/// </summary>
public sealed class ImportPlanTests(ImportPlanTests.ManualDeliveryFixture host) : IClassFixture<ImportPlanTests.ManualDeliveryFixture>
{
    public sealed class ManualDeliveryFixture : LocalHostFixture
    {
        protected override void ConfigureServices(IServiceCollection services)
        {
            foreach (var listener in services.Where(s => s.ImplementationType == typeof(ImportQueueListener)).ToList()) services.Remove(listener);
        }
    }

    private BlobContainerClient Container => host.Storage.Blobs.GetBlobContainerClient(StorageNames.ImportContainer);

    /// <summary>Accepts the document (202) and returns the import's id; its message waits in the queue.</summary>
    private async Task<string> AcceptAsync(string projectId, string document)
    {
        using var response = await host.PostImportAsync(projectId, document);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    /// <summary>Takes the import's message off the queue and hands it to the apply step, as the queue trigger does.</summary>
    private async Task DeliverAsync(string importId, long dequeueCount = 1)
    {
        var queue = host.Storage.Queues.GetQueueClient(StorageNames.ImportQueue);
        var message = (await queue.ReceiveMessagesAsync(32)).Value.Single(m => m.MessageText.Contains(importId, StringComparison.Ordinal));
        await host.Services.GetRequiredService<JobRunner<ImportRecord>>().HandleMessageAsync(message.MessageText, dequeueCount, CancellationToken.None);
        await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
    }

    [Fact]
    public async Task The_apply_step_applies_the_plan_stored_at_create_without_reading_the_document()
    {
        var project = await host.CreateEmptyProjectAsync();
        var promised = await host.ValidateAsync(project, ImportDocuments.Valid);
        var id = await AcceptAsync(project, ImportDocuments.Valid);
        // Stored compressed, and said to be.
        Assert.Equal("gzip", (await Container.GetBlobClient(ImportBlobs.Plan(project, id)).GetPropertiesAsync()).Value.ContentEncoding);

        Assert.True((await Container.GetBlobClient(ImportBlobs.Document(project, id)).DeleteIfExistsAsync()).Value);
        await DeliverAsync(id);

        var import = await host.WaitForImportAsync(project, id);
        Assert.Equal("SUCCESS", import.GetProperty("status").GetString());
        Assert.Equal(ImportClient.Summary(promised), ImportClient.Summary(import));
        var exported = ImportClient.Parse(await host.ExportDocumentAsync(project));
        Assert.Equal(["checkout", "search"], exported["features"]!.AsArray().Select(f => (string)f!["name"]!));
    }

    [Fact]
    public async Task An_imports_snapshot_takes_its_rows_as_written_from_the_plan_and_cannot_be_loaded_without_it()
    {
        var project = await host.CreateEmptyProjectAsync();
        var id = await AcceptAsync(project, ImportDocuments.Valid);
        await DeliverAsync(id);
        var plan = (await host.Services.GetRequiredService<ImportPlanStore>().LoadAsync(project, id, CancellationToken.None))!;
        var snapshots = host.Services.GetRequiredService<ImportSnapshotStore>();

        var joined = (await snapshots.LoadAsync(project, id, CancellationToken.None))!;

        Assert.Equal(plan.Rows.Select(r => (r.PartitionKey, r.RowKey, r.Json)), joined.Rows.Select(r => (r.Partition, r.Row, r.After)));
        Assert.All(joined.Rows, r => Assert.Null(r.Before));
        Assert.True((await Container.GetBlobClient(ImportBlobs.Plan(project, id)).DeleteIfExistsAsync()).Value);
        await Assert.ThrowsAsync<StoredDataException>(() => snapshots.LoadAsync(project, id, CancellationToken.None));
    }

    [Fact]
    public async Task Rows_already_as_the_plan_writes_them_when_it_applies_are_left_alone_by_the_import_and_by_its_revert()
    {
        var project = await host.CreateEmptyProjectAsync();
        var id = await AcceptAsync(project, ImportDocuments.Valid);
        // Another writer makes every row the plan writes, as the plan writes it, before the apply step runs.
        var plan = (await host.Services.GetRequiredService<ImportPlanStore>().LoadAsync(project, id, CancellationToken.None))!;
        await host.Services.GetRequiredService<ProjectStore>().WriteRowsAsync(project, [.. plan.Rows], static (_, _, _) => ValueTask.CompletedTask, CancellationToken.None);
        var before = ImportClient.WithoutExportedAt(await host.ExportDocumentAsync(project));

        await DeliverAsync(id);

        Assert.Equal("SUCCESS", (await host.WaitForImportAsync(project, id)).GetProperty("status").GetString());
        // The snapshot knows those rows were there: reverting the import has nothing to put back, rather than deleting them.
        using var revert = await host.Http.PostAsync($"/api/projects/{project}/project-imports/{id}/revert", null);
        await Problem.ReadAsync(revert, HttpStatusCode.Conflict, "nothing_to_revert");
        Assert.Equal(before, ImportClient.WithoutExportedAt(await host.ExportDocumentAsync(project)));
    }

    [Fact]
    public async Task An_import_without_a_stored_plan_fails_at_once_with_a_reason_and_writes_nothing()
    {
        var project = await host.CreateEmptyProjectAsync();
        var id = await AcceptAsync(project, ImportDocuments.Valid);

        Assert.True((await Container.GetBlobClient(ImportBlobs.Plan(project, id)).DeleteIfExistsAsync()).Value); // as if accepted by a version that planned on delivery
        await DeliverAsync(id);

        var import = await host.WaitForImportAsync(project, id);
        Assert.Equal("FAILED", import.GetProperty("status").GetString());
        Assert.Contains("no stored plan", import.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Empty(ImportClient.Parse(await host.ExportDocumentAsync(project))["features"]!.AsArray());
    }
}
