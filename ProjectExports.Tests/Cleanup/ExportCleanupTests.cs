using System.Net;
using Microsoft.Extensions.DependencyInjection;
using ProjectExports.Exports;
using ProjectExports.Jobs;
using ProjectExports.Tests.Infrastructure;

namespace ProjectExports.Tests.Cleanup;

/// <summary>Retention and stalled exports, driven by the fake clock: no sleeping.</summary>
public sealed class ExportCleanupTests(LocalHostFixture host) : IClassFixture<LocalHostFixture>
{
    private JobCleanup Cleanup => host.Services.GetRequiredService<JobCleanup>();

    [Fact]
    public async Task Exports_older_than_retention_are_deleted_with_their_blobs_and_newer_ones_kept()
    {
        var project = await host.SeedProjectAsync();
        var old = (await host.ExportAndWaitAsync(project.Project.Id)).GetProperty("id").GetString()!;
        await Cleanup.RunAsync(CancellationToken.None); // index entries of other tests must not matter
        host.Clock.Advance(TimeSpan.FromDays(13));
        var recent = (await host.ExportAndWaitAsync(project.Project.Id)).GetProperty("id").GetString()!;
        host.Clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));

        // Two runs at once: both must succeed and agree on the outcome.
        var results = await Task.WhenAll(Cleanup.RunAsync(CancellationToken.None), Cleanup.RunAsync(CancellationToken.None));
        Assert.True(results.Sum(r => r.Of("export").Deleted) >= 1);

        Assert.Equal(HttpStatusCode.NotFound, (await host.Http.GetAsync($"/api/projects/{project.Project.Id}/project-exports/{old}")).StatusCode);
        Assert.False(await host.Exports.GetBlobClient(ExportIds.BlobName(project.Project.Id, old)).ExistsAsync());
        Assert.Null(await host.Services.GetRequiredService<JobStore<ExportRecord>>().GetAsync(project.Project.Id, old, CancellationToken.None));
        Assert.True(await host.Exports.GetBlobClient(ExportIds.BlobName(project.Project.Id, recent)).ExistsAsync());
        Assert.Equal("SUCCESS", (await host.GetExportAsync(project.Project.Id, recent)).GetProperty("status").GetString());

        Assert.Equal(0, (await Cleanup.RunAsync(CancellationToken.None)).Of("export").Deleted);
    }

    [Fact]
    public async Task An_expired_export_of_any_format_loses_its_file()
    {
        var project = await host.SeedProjectAsync();
        var exports = new List<(string Id, ExportFormat Format)>();
        foreach (var format in ExportFormats.All)
        {
            // A flagd file holds one environment, which its create body must name.
            var record = await host.ExportAndWaitAsync(project.Project.Id, format == ExportFormat.Flagd
                ? new { format = format.Name(), environments = (string[]?)[project.Environments[0].Environment.Name] }
                : new { format = format.Name(), environments = (string[]?)null });
            exports.Add((record.GetProperty("id").GetString()!, format));
        }
        Assert.All(exports, e => Assert.True(host.Exports.GetBlobClient(ExportIds.BlobName(project.Project.Id, e.Id, e.Format)).Exists().Value));
        host.Clock.Advance(host.ExportOptions.Retention + TimeSpan.FromMinutes(1));

        await Cleanup.RunAsync(CancellationToken.None);

        Assert.Empty(await host.Exports.GetBlobsAsync(new Azure.Storage.Blobs.Models.GetBlobsOptions { Prefix = project.Project.Id + "/" }).ToListAsync());
    }

    [Fact]
    public async Task A_missing_blob_or_record_does_not_stop_the_cleanup()
    {
        var project = await host.SeedProjectAsync();
        var a = (await host.ExportAndWaitAsync(project.Project.Id)).GetProperty("id").GetString()!;
        var b = (await host.ExportAndWaitAsync(project.Project.Id)).GetProperty("id").GetString()!;
        await host.Exports.DeleteBlobAsync(ExportIds.BlobName(project.Project.Id, a));
        await host.Services.GetRequiredService<JobStore<ExportRecord>>().DeleteAsync(project.Project.Id, b, CancellationToken.None);
        host.Clock.Advance(host.ExportOptions.Retention + TimeSpan.FromMinutes(1));

        await Cleanup.RunAsync(CancellationToken.None);

        Assert.Null(await host.Services.GetRequiredService<JobStore<ExportRecord>>().GetAsync(project.Project.Id, a, CancellationToken.None));
        Assert.False(await host.Exports.GetBlobClient(ExportIds.BlobName(project.Project.Id, b)).ExistsAsync());
    }

    [Fact]
    public async Task Exports_stuck_processing_past_the_stall_timeout_are_marked_failed()
    {
        var project = await host.SeedProjectAsync();
        // A request whose queue message was lost: record and index entries, no message.
        var now = host.Clock.GetUtcNow();
        var record = new ExportRecord { Id = ExportIds.New(now), Project = project.Project.Id, CreatedAt = now };
        var index = host.Services.GetRequiredService<JobIndex>();
        var kind = host.Services.GetRequiredService<JobKind<ExportRecord>>();
        await index.AddAsync(new JobIndex.Entry(kind.ExpiryIndex, record.Project, record.Id, now), CancellationToken.None);
        await index.AddAsync(new JobIndex.Entry(kind.ProcessingIndex, record.Project, record.Id, now), CancellationToken.None);
        await host.Services.GetRequiredService<JobStore<ExportRecord>>().CreateAsync(record, CancellationToken.None);

        host.Clock.Advance(host.JobOptions.StallTimeout - TimeSpan.FromMinutes(1));
        await Cleanup.RunAsync(CancellationToken.None);
        Assert.Equal("PROCESSING", (await host.GetExportAsync(project.Project.Id, record.Id)).GetProperty("status").GetString());

        host.Clock.Advance(TimeSpan.FromMinutes(2));
        var result = await Cleanup.RunAsync(CancellationToken.None);

        Assert.True(result.Of("export").Stalled >= 1);
        var failed = await host.GetExportAsync(project.Project.Id, record.Id);
        Assert.Equal("FAILED", failed.GetProperty("status").GetString());
        Assert.Equal("export_stalled", failed.GetProperty("error").GetProperty("code").GetString());
        var audit = System.Text.Json.JsonDocument.Parse(await host.Http.GetStringAsync($"/api/projects/{project.Project.Id}/audit-log")).RootElement;
        Assert.Equal("Project export failed", audit.GetProperty("results")[0].GetProperty("log").GetString());
    }

    [Fact]
    public async Task The_timer_runs_the_cleanup_on_its_schedule()
    {
        var project = await host.SeedProjectAsync();
        var id = (await host.ExportAndWaitAsync(project.Project.Id)).GetProperty("id").GetString()!;
        var store = host.Services.GetRequiredService<JobStore<ExportRecord>>();

        // Past retention and across an hour boundary: the hourly schedule fires with no direct call.
        host.Clock.Advance(host.ExportOptions.Retention + TimeSpan.FromHours(1));

        await LocalHostFixture.EventuallyAsync(async () => await store.GetAsync(project.Project.Id, id, CancellationToken.None) is null,
            "the scheduled cleanup deleted the expired export");
    }
}
