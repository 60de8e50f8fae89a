using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Core;
using Microsoft.Extensions.DependencyInjection;
using ProjectExports.Imports;
using ProjectExports.Storage;
using ProjectExports.Tests.Infrastructure;

namespace ProjectExports.Tests.Imports;

/// <summary>What an import and its revert ask of their snapshot blobs: storing a snapshot is its own check.</summary>
public sealed class ImportSnapshotRequestsTests(ImportSnapshotRequestsTests.SnapshotFixture host) : IClassFixture<ImportSnapshotRequestsTests.SnapshotFixture>
{
    /// <summary>Records each request for a snapshot blob: its method and blob path.</summary>
    public sealed class SnapshotRequests : RequestObserver
    {
        private readonly ConcurrentQueue<(string Method, string Path)> _requests = new();

        public StoragePipelinePolicy Registration => new(StorageService.Blobs, this);

        public IReadOnlyList<string> Of(string projectId, string importId) =>
            _requests.Where(r => r.Path.EndsWith("/" + ImportBlobs.Snapshot(projectId, importId), StringComparison.Ordinal)).Select(r => r.Method).ToList();

        protected override void Observe(Request request) =>
            _requests.Enqueue((request.Method.Method, Uri.UnescapeDataString(request.Uri.ToUri().AbsolutePath)));
    }

    public sealed class SnapshotFixture : LocalHostFixture
    {
        public SnapshotRequests Requests { get; } = new();

        protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton(Requests.Registration);
    }

    private static string Id(JsonElement record) => record.GetProperty("id").GetString()!;

    [Fact]
    public async Task An_import_stores_its_snapshot_without_reading_for_one_first_and_its_revert_reads_its_own_once()
    {
        var project = (await host.SeedProjectAsync(seed: 71)).Project.Id;
        var import = await host.ImportAndWaitAsync(project, ImportDocuments.Valid, "SKIP");
        Assert.Equal("SUCCESS", import.GetProperty("status").GetString());

        // The rows it changes were read while its plan loaded; a snapshot stored before by another delivery would fail the put.
        Assert.Equal(["PUT"], host.Requests.Of(project, Id(import)));

        using var response = await host.Http.PostAsync($"/api/projects/{project}/project-imports/{Id(import)}/revert", null);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var revert = await host.WaitForImportAsync(project, Id(await response.Content.ReadFromJsonAsync<JsonElement>()));
        Assert.Equal("SUCCESS", revert.GetProperty("status").GetString());

        // Whether an earlier delivery of the revert stored its snapshot (it had not), then storing its own.
        Assert.Equal(["GET", "PUT"], host.Requests.Of(project, Id(revert)));
    }
}
