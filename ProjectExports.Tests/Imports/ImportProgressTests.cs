using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ProjectExports.Tests.Infrastructure;

namespace ProjectExports.Tests.Imports;

/// <summary>An import's record shows its progress while it is applied, through the LocalHost against Azurite.</summary>
public sealed class ImportProgressTests(ImportProgressTests.GateFixture host) : IClassFixture<ImportProgressTests.GateFixture>
{
    /// <summary>Holds every write of one project's configuration until the test lets it through, one permit per write.</summary>
    public sealed class GatePolicy : ProjectWritesPolicy
    {
        private readonly SemaphoreSlim _permits = new(0);
        private int _waiting;

        public string? ProjectId { get; set; }

        public int Waiting => Volatile.Read(ref _waiting);

        public void Allow(int writes) => _permits.Release(writes);

        protected override async ValueTask BeforeWriteAsync(string request, CancellationToken cancellationToken)
        {
            if (ProjectId is null || !Writes(request, ProjectId)) return;
            Interlocked.Increment(ref _waiting);
            await _permits.WaitAsync(cancellationToken);
            Interlocked.Decrement(ref _waiting);
        }
    }

    public sealed class GateFixture : LocalHostFixture
    {
        public GatePolicy Hook { get; } = new();

        protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton(Hook.Registration);
    }

    private async Task<JsonElement> RecordAsync(string projectId, string importId) =>
        await host.Http.GetFromJsonAsync<JsonElement>($"/api/projects/{projectId}/project-imports/{importId}");

    [Fact]
    public async Task A_processing_import_shows_its_phase_and_rows_written_of_rows_planned_and_a_finished_one_none()
    {
        var source = await host.SeedProjectAsync();
        var document = await host.ExportDocumentAsync(source.Project.Id);
        var projectId = await host.CreateEmptyProjectAsync();
        host.Hook.ProjectId = projectId;

        using var created = await host.PostImportAsync(projectId, document);
        created.EnsureSuccessStatusCode();
        var importId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

        // Held before its first write: planned, nothing written yet.
        await LocalHostFixture.EventuallyAsync(() => Task.FromResult(host.Hook.Waiting > 0), "the import reaching its first write");
        var progress = (await RecordAsync(projectId, importId)).GetProperty("progress");
        Assert.Equal("applying", progress.GetProperty("phase").GetString());
        Assert.Equal(0, progress.GetProperty("done").GetInt64());
        var total = progress.GetProperty("total").GetInt64();
        Assert.True(total > 100, $"{total} rows: the document should need more than one transaction.");

        // One transaction through, a second later: the record says so.
        host.Clock.Advance(TimeSpan.FromSeconds(1));
        host.Hook.Allow(1);
        long done = 0;
        await LocalHostFixture.EventuallyAsync(async () =>
        {
            done = (await RecordAsync(projectId, importId)).GetProperty("progress").GetProperty("done").GetInt64();
            return done > 0;
        }, "progress after the first transaction");
        Assert.InRange(done, 1, Math.Min(100, total - 1));

        host.Hook.Allow(10_000);
        var finished = await host.WaitForImportAsync(projectId, importId);
        Assert.Equal("SUCCESS", finished.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, finished.GetProperty("progress").ValueKind);
    }
}
