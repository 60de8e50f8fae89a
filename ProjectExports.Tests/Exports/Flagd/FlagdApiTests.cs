using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.DependencyInjection;
using ProjectExports.Exports;
using ProjectExports.Exports.Flagd;
using ProjectExports.Jobs;
using ProjectExports.Projects;
using ProjectExports.Tests.Infrastructure;

namespace ProjectExports.Tests.Exports.Flagd;

/// <summary>
/// <c>format: "flagd"</c> through the API: one environment or a 400, and a file that is the writer's (whose meaning
/// <see cref="FlagdExportTests"/> proves with the flagd evaluator), with its fidelity report on the record.
/// </summary>
public sealed class FlagdApiTests(LocalHostFixture host) : IClassFixture<LocalHostFixture>
{
    private const string Environment = "Production";

    private async Task<string> SaveProjectAsync()
    {
        var project = FlagdTestProject.Create("p-flagd-" + Guid.NewGuid().ToString("N")[..8]);
        await host.Services.GetRequiredService<ProjectStore>().SaveAsync(project, CancellationToken.None);
        return project.Project.Id;
    }

    [Theory]
    [InlineData("")]
    [InlineData("Production,Staging")]
    public async Task A_flagd_export_of_other_than_one_environment_is_refused_and_nothing_is_created(string names)
    {
        var environments = names.Length == 0 ? null : names.Split(',');
        var projectId = await SaveProjectAsync();

        using var response = await host.Http.PostAsJsonAsync($"/api/projects/{projectId}/project-exports", new { format = "flagd", environments });

        await Problem.ReadAsync(response, HttpStatusCode.BadRequest, "invalid_body");
        var listed = await host.Http.GetFromJsonAsync<JsonElement>($"/api/projects/{projectId}/project-exports");
        Assert.Equal(0, listed.GetProperty("results").GetArrayLength());
    }

    [Fact]
    public async Task A_flagd_export_is_the_environments_flag_file_with_its_fidelity_report_on_the_record()
    {
        var projectId = await SaveProjectAsync();
        using var expected = new MemoryStream();
        var fidelity = await host.Services.GetRequiredService<FlagdDocumentWriter>().WriteAsync(expected, projectId, Environment, null, includeIdentityOverrides: true, CancellationToken.None);

        var record = await host.ExportAndWaitAsync(projectId, new { format = "flagd", environments = new[] { Environment }, include_identity_overrides = true });

        Assert.Equal("SUCCESS", record.GetProperty("status").GetString());
        Assert.Equal("flagd", record.GetProperty("format").GetString());
        Assert.NotEmpty(fidelity!);
        Assert.Equal(fidelity!.Select(i => (i.Path, i.Reason)),
            record.GetProperty("fidelity").EnumerateArray().Select(i => (i.GetProperty("path").GetString()!, i.GetProperty("reason").GetString()!)));
        using var download = await host.Http.GetAsync($"/api/projects/{projectId}/project-exports/{record.GetProperty("id").GetString()}/download");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("application/json", download.Content.Headers.ContentType!.MediaType);
        Assert.EndsWith(".flagd.json", download.Content.Headers.ContentDisposition!.FileName!.Trim('"'), StringComparison.Ordinal);
        Assert.Equal(expected.ToArray(), await download.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Identifiers_reach_a_flagd_file_only_when_identity_overrides_are_asked_for_as_in_the_document()
    {
        var projectId = await SaveProjectAsync();
        var identifier = Encoding.UTF8.GetBytes("\"alice\""); // an identity with overrides in Production

        var plain = await host.ExportAndWaitAsync(projectId, new { format = "flagd", environments = new[] { Environment } });
        var withIdentities = await host.ExportAndWaitAsync(projectId, new { format = "flagd", environments = new[] { Environment }, include_identity_overrides = true });

        Assert.False((await host.DownloadAsync(projectId, plain.GetProperty("id").GetString()!)).AsSpan().IndexOf(identifier) >= 0);
        Assert.True((await host.DownloadAsync(projectId, withIdentities.GetProperty("id").GetString()!)).AsSpan().IndexOf(identifier) >= 0);
    }

    [Fact]
    public async Task A_redelivery_that_finds_the_file_committed_reports_that_files_fidelity()
    {
        var projectId = await SaveProjectAsync();
        var now = host.Clock.GetUtcNow();
        var record = new ExportRecord
        {
            Id = ExportIds.New(now), Project = projectId, CreatedAt = now, Format = ExportFormat.Flagd,
            Selection = new SelectedNames { Environments = [Environment] },
        };
        await host.Services.GetRequiredService<JobStore<ExportRecord>>().CreateAsync(record, CancellationToken.None);
        // An earlier run committed this file (with one reported item) and died before recording it.
        var file = Encoding.UTF8.GetBytes("{\"flags\": {}, \"metadata\": {\"fidelity.count\": 1, \"fidelity.0.path\": \"/flags/x\", \"fidelity.0.reason\": \"earlier run\"}}");
        var earlier = new CommittedExport(file.Length, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(file)), now);
        await host.Exports.GetBlobClient(record.BlobName).UploadAsync(BinaryData.FromBytes(file), new BlobUploadOptions { Metadata = earlier.ToMetadata() });

        await host.Services.GetRequiredService<JobRunner<ExportRecord>>().RunAsync(projectId, record.Id, dequeueCount: 2, CancellationToken.None);

        var result = await host.GetExportAsync(projectId, record.Id);
        Assert.Equal("SUCCESS", result.GetProperty("status").GetString());
        Assert.Equal(earlier.Sha256, result.GetProperty("sha256").GetString());
        var item = Assert.Single(result.GetProperty("fidelity").EnumerateArray());
        Assert.Equal(("/flags/x", "earlier run"), (item.GetProperty("path").GetString(), item.GetProperty("reason").GetString()));
    }

    [Fact]
    public async Task Other_formats_have_no_fidelity_report()
    {
        var projectId = await SaveProjectAsync();

        var record = await host.ExportAndWaitAsync(projectId, new { format = "json" });

        Assert.Equal(JsonValueKind.Null, record.GetProperty("fidelity").ValueKind);
    }

    [Fact]
    public void A_record_keeps_a_bounded_report_that_says_how_many_more_the_file_lists()
    {
        var items = Enumerable.Range(0, 120).Select(i => new FidelityItem($"/flags/f{i}/targeting", new string('x', 1000))).ToList();

        var kept = FidelityReport.ForRecord(items);

        Assert.Equal(FidelityReport.MaxItems, kept.Count);
        Assert.All(kept, i => Assert.True(i.Reason.Length <= FidelityReport.MaxTextLength));
        Assert.Contains("71 more", kept[^1].Reason, StringComparison.Ordinal);
        Assert.True(JsonSerializer.SerializeToUtf8Bytes(kept).Length < 64 * 1024);
    }
}
