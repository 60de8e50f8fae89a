using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ProjectExports.Exports;
using ProjectExports.Jobs;
using ProjectExports.Tests.Imports;
using ProjectExports.Tests.Infrastructure;

namespace ProjectExports.Tests.Http;

/// <summary>Answers that mean "ask again shortly" say when, over HTTP through the LocalHost, and the OpenAPI document says they do.</summary>
public sealed class RetryAfterTests(LocalHostFixture host) : IClassFixture<LocalHostFixture>
{
    [Fact]
    public async Task A_created_export_says_when_to_poll()
    {
        var project = await host.SeedProjectAsync();

        using var response = await host.Http.PostAsync($"/api/projects/{project.Project.Id}/project-exports", null);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task A_created_import_says_when_to_poll()
    {
        var project = await host.CreateEmptyProjectAsync();

        using var response = await host.PostImportAsync(project, ImportDocuments.Valid);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(2), response.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task Downloading_a_processing_export_says_when_to_try_again_and_a_failed_one_does_not()
    {
        var project = await host.SeedProjectAsync();
        var store = host.Services.GetRequiredService<JobStore<ExportRecord>>();
        var now = host.Clock.GetUtcNow();
        // Records written without a queue message, so they stay as written.
        var processing = new ExportRecord { Id = ExportIds.New(now), Project = project.Project.Id, CreatedAt = now };
        var failed = new ExportRecord { Id = ExportIds.New(now), Project = project.Project.Id, CreatedAt = now, Status = JobStatus.Failed };
        await store.CreateAsync(processing, CancellationToken.None);
        await store.CreateAsync(failed, CancellationToken.None);

        using var notYet = await host.Http.GetAsync($"/api/projects/{project.Project.Id}/project-exports/{processing.Id}/download");
        using var never = await host.Http.GetAsync($"/api/projects/{project.Project.Id}/project-exports/{failed.Id}/download");

        Assert.Equal(HttpStatusCode.Conflict, notYet.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), notYet.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.Conflict, never.StatusCode);
        Assert.Null(never.Headers.RetryAfter);
    }

    [Theory]
    [InlineData("/projects/{projectId}/project-exports", "post", "202")]
    [InlineData("/projects/{projectId}/project-imports", "post", "202")]
    [InlineData("/projects/{projectId}/project-exports/{exportId}/download", "get", "409")]
    public void The_OpenAPI_document_declares_Retry_After_where_it_is_sent(string path, string method, string status)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "openapi", "project-exports.openapi.json")));
        var root = document.RootElement;
        var response = root.GetProperty("paths").GetProperty(path).GetProperty(method).GetProperty("responses").GetProperty(status);

        var header = response.GetProperty("headers").GetProperty("Retry-After");
        var reference = header.GetProperty("$ref").GetString()!;
        var declared = root.GetProperty("components").GetProperty("headers").GetProperty(reference.Split('/')[^1]);
        Assert.Equal("integer", declared.GetProperty("schema").GetProperty("type").GetString());
    }
}
