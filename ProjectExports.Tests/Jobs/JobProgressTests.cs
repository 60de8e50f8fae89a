using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using ProjectExports.Exports;
using ProjectExports.Jobs;
using ProjectExports.Storage;
using ProjectExports.Tests.Infrastructure;

namespace ProjectExports.Tests.Jobs;

/// <summary>Progress of an export record against Azurite: shown while PROCESSING, written at most once a second, never over a settled record.</summary>
public sealed class JobProgressTests(LocalHostFixture host) : IClassFixture<LocalHostFixture>
{
    private JobStore<ExportRecord> Records => host.Services.GetRequiredService<JobStore<ExportRecord>>();

    /// <summary>A PROCESSING export record with no queue message, so only the test moves it.</summary>
    private async Task<(ExportRecord Record, Azure.ETag ETag)> CreateRecordAsync()
    {
        var project = await host.SeedProjectAsync();
        var record = new ExportRecord { Id = ExportIds.New(host.Clock.GetUtcNow()), Project = project.Project.Id, CreatedAt = host.Clock.GetUtcNow() };
        await Records.CreateAsync(record, CancellationToken.None);
        var (_, etag) = (await Records.GetAsync(record.Project, record.Id, CancellationToken.None))!.Value;
        return (record, etag);
    }

    private JobProgress<ExportRecord> Progress(ExportRecord record, Azure.ETag etag) =>
        new(Records, record, etag, host.Clock, NullLogger.Instance);

    private async Task<JsonElement> GetAsync(ExportRecord record) =>
        await host.Http.GetFromJsonAsync<JsonElement>($"/api/projects/{record.Project}/project-exports/{record.Id}");

    private TableEntity Row(ExportRecord record) =>
        host.Storage.Tables.GetTableClient(StorageNames.ExportsTable).GetEntity<TableEntity>(record.Project, record.Id).Value;

    [Fact]
    public async Task Progress_is_shown_while_processing_at_most_once_a_second_and_the_run_still_settles()
    {
        var (record, etag) = await CreateRecordAsync();
        using var progress = Progress(record, etag);

        await progress.ReportAsync(new ProcessingProgress(ExportBuilder.Writing, 0, 4), CancellationToken.None);
        Assert.Equal("""{"phase":"writing","done":0,"total":4}""", (await GetAsync(record)).GetProperty("progress").GetRawText());

        await progress.ReportAsync(new ProcessingProgress(ExportBuilder.Writing, 1, 4), CancellationToken.None);
        Assert.Equal(0, (await GetAsync(record)).GetProperty("progress").GetProperty("done").GetInt64());
        host.Clock.Advance(JobProgress<ExportRecord>.Interval);
        await progress.ReportAsync(new ProcessingProgress(ExportBuilder.Writing, 2, 4), CancellationToken.None);
        Assert.Equal(2, (await GetAsync(record)).GetProperty("progress").GetProperty("done").GetInt64());

        // Settling with the ETag the progress writes left behind wins, and leaves no progress.
        var settled = await Records.SettleAsync(record.Succeeded(10, "abc", host.Clock.GetUtcNow()), progress.ETag, CancellationToken.None);
        Assert.Equal(JobStatus.Success, settled!.Status);
        var finished = await GetAsync(record);
        Assert.Equal("SUCCESS", finished.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, finished.GetProperty("progress").ValueKind);
        Assert.False(Row(record).ContainsKey("ProgressPhase"));
    }

    [Fact]
    public async Task A_progress_write_after_the_record_is_settled_changes_nothing()
    {
        var (record, etag) = await CreateRecordAsync();
        using var late = Progress(record, etag); // a delivery still running when another one finished the record
        await Records.SettleAsync(record.Failed(ExportErrors.Failed, "finished elsewhere", host.Clock.GetUtcNow()), etag, CancellationToken.None);
        var before = Row(record);

        await late.ReportAsync(new ProcessingProgress(ExportBuilder.Writing, 1, 2), CancellationToken.None);
        host.Clock.Advance(TimeSpan.FromMinutes(1));
        await late.ReportAsync(new ProcessingProgress(ExportBuilder.Writing, 2, 2), CancellationToken.None);

        var after = Row(record);
        Assert.Equal(before.ETag, after.ETag);
        Assert.Equal("Failed", after.GetString("Status"));
        Assert.False(after.ContainsKey("ProgressPhase"));
        Assert.Equal(JsonValueKind.Null, (await GetAsync(record)).GetProperty("progress").ValueKind);
    }

    [Fact]
    public async Task The_export_writer_reports_environments_written_of_all_of_them()
    {
        var project = await host.SeedProjectAsync();
        var reports = new List<(int Done, int Total)>();
        await host.Services.GetRequiredService<ExportDocumentWriter>().WriteAsync(Stream.Null, project.Project.Id, new ExportSelection(true, true),
            (done, total, _) => { reports.Add((done, total)); return ValueTask.CompletedTask; }, CancellationToken.None);

        var count = project.Environments.Count;
        Assert.True(count > 1);
        Assert.Equal(Enumerable.Range(0, count + 1).Select(i => (i, count)), reports);
    }

    [Fact]
    public async Task A_progress_write_that_storage_refuses_after_its_retries_does_not_fail_the_work_and_stops_reporting()
    {
        var (record, etag) = await CreateRecordAsync();
        // The same record through an account nobody listens on: every try is refused, so the SDK gives up with
        // an AggregateException of its retries, which the work reporting progress must never see.
        var refused = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [StorageNames.ConnectionSetting] = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=" +
                "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
                "TableEndpoint=http://127.0.0.1:1/devstoreaccount1;BlobEndpoint=http://127.0.0.1:1/devstoreaccount1;QueueEndpoint=http://127.0.0.1:1/devstoreaccount1;",
            ["Storage:Background:NetworkTimeout"] = "00:00:01",
            ["Storage:Background:MaxRetries"] = "2",
            ["Storage:Background:Delay"] = "00:00:00.010",
            ["Storage:Background:MaxDelay"] = "00:00:00.010",
        }).Build();
        var clients = StorageClients.FromConfiguration(refused);
        using var progress = new JobProgress<ExportRecord>(new JobStore<ExportRecord>(host.Services.GetRequiredService<JobKind<ExportRecord>>(), clients, host.Clock), record, etag, host.Clock, NullLogger.Instance);

        await progress.ReportAsync(new ProcessingProgress(ExportBuilder.Writing, 0, 4), CancellationToken.None);
        host.Clock.Advance(JobProgress<ExportRecord>.Interval);
        await progress.ReportAsync(new ProcessingProgress(ExportBuilder.Writing, 1, 4), CancellationToken.None);

        Assert.Equal(etag, progress.ETag);
        Assert.Equal(JsonValueKind.Null, (await GetAsync(record)).GetProperty("progress").ValueKind);
    }
}
