using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ProjectExports.Exports;
using ProjectExports.Jobs;
using ProjectExports.Security;
using ProjectExports.Storage;
using ProjectExports.Tests.Infrastructure;

namespace ProjectExports.Tests.Exports;

/// <summary>Seed 000's acceptance criteria and the API contract, over HTTP against the LocalHost and Azurite.</summary>
public sealed class ExportApiTests(LocalHostFixture host) : IClassFixture<LocalHostFixture>
{
    [Fact]
    public async Task Create_answers_202_with_the_record_and_its_location()
    {
        var project = await host.SeedProjectAsync();
        using var response = await host.Http.PostAsJsonAsync($"/api/projects/{project.Project.Id}/project-exports",
            new { include_identity_overrides = true, include_tags = false });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var record = await response.Content.ReadFromJsonAsync<JsonElement>();
        var id = record.GetProperty("id").GetString()!;
        Assert.Equal($"/api/projects/{project.Project.Id}/project-exports/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal("PROCESSING", record.GetProperty("status").GetString());
        Assert.Equal(project.Project.Id, record.GetProperty("project").GetString());
        Assert.True(record.GetProperty("include_identity_overrides").GetBoolean());
        Assert.False(record.GetProperty("include_tags").GetBoolean());
        Assert.EndsWith("Z", record.GetProperty("created_at").GetString());
        ApiKeySecret.TryParse(host.AdminApiKey, out var keyId);
        Assert.Equal(keyId, record.GetProperty("created_by_api_key").GetString());
        foreach (var key in new[] { "completed_at", "created_by", "size_bytes", "sha256", "error", "progress" })
        {
            Assert.Equal(JsonValueKind.Null, record.GetProperty(key).ValueKind);
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("{}")]
    public async Task Create_without_toggles_uses_the_defaults(string? body)
    {
        var project = await host.SeedProjectAsync();
        using var content = body is null ? null : new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await host.Http.PostAsync($"/api/projects/{project.Project.Id}/project-exports", content);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var record = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(record.GetProperty("include_identity_overrides").GetBoolean());
        Assert.True(record.GetProperty("include_tags").GetBoolean());
    }

    [Fact]
    public async Task List_shows_every_export_newest_first_with_status_and_pages()
    {
        var project = await host.SeedProjectAsync();
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await host.ExportAndWaitAsync(project.Project.Id)).GetProperty("id").GetString()!);
            host.Clock.Advance(TimeSpan.FromSeconds(1));
        }

        var all = await host.Http.GetFromJsonAsync<JsonElement>($"/api/projects/{project.Project.Id}/project-exports");
        var listed = all.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(Enumerable.Reverse(ids), listed.Select(r => r.GetProperty("id").GetString()));
        Assert.All(listed, r => Assert.Equal("SUCCESS", r.GetProperty("status").GetString()));
        Assert.Equal(JsonValueKind.Null, all.GetProperty("next").ValueKind);

        var first = await host.Http.GetFromJsonAsync<JsonElement>($"/api/projects/{project.Project.Id}/project-exports?limit=2");
        Assert.Equal(2, first.GetProperty("results").GetArrayLength());
        var next = first.GetProperty("next").GetString();
        var second = await host.Http.GetFromJsonAsync<JsonElement>($"/api/projects/{project.Project.Id}/project-exports?limit=2&next={next}");
        Assert.Equal([ids[0]], second.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("id").GetString()));
        Assert.Equal(JsonValueKind.Null, second.GetProperty("next").ValueKind);
    }

    [Fact]
    public async Task Download_returns_the_file_as_an_attachment_matching_the_record()
    {
        var project = await host.SeedProjectAsync();
        var record = await host.ExportAndWaitAsync(project.Project.Id);
        var id = record.GetProperty("id").GetString()!;

        using var response = await host.Http.GetAsync($"/api/projects/{project.Project.Id}/project-exports/{id}/download");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"attachment; filename=\"project-export.{project.Project.Id}.{id}.json\"", response.Content.Headers.ContentDisposition?.ToString());
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(record.GetProperty("size_bytes").GetInt64(), bytes.Length);
        Assert.Equal(record.GetProperty("sha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(bytes)));
        Assert.Equal($"sha-256=:{Convert.ToBase64String(SHA256.HashData(bytes))}:", string.Join(",", response.Headers.GetValues("Repr-Digest")));
        using var document = JsonDocument.Parse(bytes);
        Assert.Equal(1, document.RootElement.GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task Download_of_an_export_that_is_not_ready_is_a_409_problem()
    {
        var project = await host.SeedProjectAsync();
        // A record whose message is still on its way: written without a queue message.
        var now = host.Clock.GetUtcNow();
        var record = new ExportRecord { Id = ExportIds.New(now), Project = project.Project.Id, CreatedAt = now };
        await host.Services.GetRequiredService<JobStore<ExportRecord>>().CreateAsync(record, CancellationToken.None);

        using var response = await host.Http.GetAsync($"/api/projects/{project.Project.Id}/project-exports/{record.Id}/download");

        var problem = await Problem.ReadAsync(response, HttpStatusCode.Conflict, "export_not_ready");
        Assert.Equal("Unable to download export with status 'PROCESSING'.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Unknown_projects_exports_and_other_projects_exports_are_404()
    {
        var project = await host.SeedProjectAsync();
        var other = await host.SeedProjectAsync();
        var otherExport = (await host.ExportAndWaitAsync(other.Project.Id)).GetProperty("id").GetString()!;
        var missing = ExportIds.New(host.Clock.GetUtcNow());

        await Problem.ReadAsync(await host.Http.GetAsync("/api/projects/no-such-project/project-exports"), HttpStatusCode.NotFound, "project_not_found");
        await Problem.ReadAsync(await host.Http.PostAsync("/api/projects/no-such-project/project-exports", null), HttpStatusCode.NotFound, "project_not_found");
        foreach (var exportId in new[] { missing, otherExport })
        {
            await Problem.ReadAsync(await host.Http.GetAsync($"/api/projects/{project.Project.Id}/project-exports/{exportId}"), HttpStatusCode.NotFound, "export_not_found");
            await Problem.ReadAsync(await host.Http.GetAsync($"/api/projects/{project.Project.Id}/project-exports/{exportId}/download"), HttpStatusCode.NotFound, "export_not_found");
        }
        await Problem.ReadAsync(await host.Http.GetAsync("/api/no/such/route"), HttpStatusCode.NotFound, "route_not_found");
    }

    [Fact]
    public async Task A_project_created_just_after_a_404_is_found_at_once()
    {
        // Projects seen to exist are remembered (KnownProjects); one seen missing must not be.
        var projectId = $"late-{Guid.NewGuid():N}"[..20];
        await Problem.ReadAsync(await host.Http.GetAsync($"/api/projects/{projectId}/project-exports"), HttpStatusCode.NotFound, "project_not_found");

        await host.SeedProjectAsync(projectId: projectId);

        Assert.Equal(HttpStatusCode.OK, (await host.Http.GetAsync($"/api/projects/{projectId}/project-exports")).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await host.Http.PostAsync($"/api/projects/{projectId}/project-exports", null)).StatusCode);
    }

    [Fact]
    public async Task An_export_past_retention_is_404_even_before_the_cleanup_runs()
    {
        var project = await host.SeedProjectAsync();
        var id = (await host.ExportAndWaitAsync(project.Project.Id)).GetProperty("id").GetString()!;
        var retention = host.ExportOptions.Retention;
        host.ExportOptions.Retention = TimeSpan.FromMinutes(1);
        try
        {
            host.Clock.Advance(TimeSpan.FromMinutes(2)); // not across the hour, so the hourly cleanup does not run
            Assert.NotNull(await host.Services.GetRequiredService<JobStore<ExportRecord>>().GetAsync(project.Project.Id, id, CancellationToken.None));
            await Problem.ReadAsync(await host.Http.GetAsync($"/api/projects/{project.Project.Id}/project-exports/{id}"), HttpStatusCode.NotFound, "export_not_found");
            await Problem.ReadAsync(await host.Http.GetAsync($"/api/projects/{project.Project.Id}/project-exports/{id}/download"), HttpStatusCode.NotFound, "export_not_found");
        }
        finally
        {
            host.ExportOptions.Retention = retention;
        }
    }

    [Theory]
    [InlineData("Status", "HALF_DONE")]
    [InlineData("Format", "xml")]
    public async Task An_export_row_this_version_cannot_read_is_a_409_problem_on_get_and_list_not_a_500(string column, string value)
    {
        var project = await host.SeedProjectAsync();
        var id = (await host.CreateExportAsync(project.Project.Id)).GetProperty("id").GetString()!;
        await host.WaitForExportAsync(project.Project.Id, id);
        var table = host.Storage.Tables.GetTableClient(StorageNames.ExportsTable);
        await table.UpdateEntityAsync(new Azure.Data.Tables.TableEntity(project.Project.Id, id) { [column] = value }, Azure.ETag.All, Azure.Data.Tables.TableUpdateMode.Merge);

        await Problem.ReadAsync(await host.Http.GetAsync($"/api/projects/{project.Project.Id}/project-exports/{id}"), HttpStatusCode.Conflict, "stored_data_unreadable");
        await Problem.ReadAsync(await host.Http.GetAsync($"/api/projects/{project.Project.Id}/project-exports"), HttpStatusCode.Conflict, "stored_data_unreadable");
    }

    [Fact]
    public async Task A_list_leaves_out_exports_past_retention_as_getting_one_does_before_the_cleanup_runs()
    {
        var project = await host.SeedProjectAsync();
        var old = (await host.ExportAndWaitAsync(project.Project.Id)).GetProperty("id").GetString()!;
        var retention = host.ExportOptions.Retention;
        host.ExportOptions.Retention = TimeSpan.FromMinutes(1);
        try
        {
            host.Clock.Advance(TimeSpan.FromMinutes(2)); // not across the hour, so the hourly cleanup does not run
            var recent = (await host.ExportAndWaitAsync(project.Project.Id)).GetProperty("id").GetString()!;
            Assert.NotNull(await host.Services.GetRequiredService<JobStore<ExportRecord>>().GetAsync(project.Project.Id, old, CancellationToken.None));

            var listed = await host.Http.GetFromJsonAsync<JsonElement>($"/api/projects/{project.Project.Id}/project-exports");
            var ids = listed.GetProperty("results").EnumerateArray().Select(e => e.GetProperty("id").GetString()).ToList();
            Assert.Equal([recent], ids);
            Assert.Equal(JsonValueKind.Null, listed.GetProperty("next").ValueKind);
            await Problem.ReadAsync(await host.Http.GetAsync($"/api/projects/{project.Project.Id}/project-exports/{old}"), HttpStatusCode.NotFound, "export_not_found");
        }
        finally
        {
            host.ExportOptions.Retention = retention;
        }
    }

    [Theory]
    [InlineData("{", "invalid_body")]
    [InlineData("[]", "invalid_body")]
    [InlineData("null", "invalid_body")]
    [InlineData("{\"include_tags\": \"yes\"}", "invalid_body")]
    [InlineData("{\"include_tags\": null}", "invalid_body")]
    [InlineData("{\"include_everything\": true}", "invalid_body")]
    public async Task Malformed_create_bodies_are_400_problems_and_write_nothing(string body, string code)
    {
        var project = await host.SeedProjectAsync();
        using var response = await host.Http.PostAsync($"/api/projects/{project.Project.Id}/project-exports", new StringContent(body, Encoding.UTF8, "application/json"));

        await Problem.ReadAsync(response, HttpStatusCode.BadRequest, code);
        var list = await host.Http.GetFromJsonAsync<JsonElement>($"/api/projects/{project.Project.Id}/project-exports");
        Assert.Equal(0, list.GetProperty("results").GetArrayLength());
    }

    [Fact]
    public async Task Oversized_and_non_json_bodies_are_refused()
    {
        var project = await host.SeedProjectAsync();
        var url = $"/api/projects/{project.Project.Id}/project-exports";
        var huge = "{\"include_tags\": true" + new string(' ', (int)ExportHttpHandlers.MaxCreateBodyBytes) + "}";

        await Problem.ReadAsync(await host.Http.PostAsync(url, new StringContent(huge, Encoding.UTF8, "application/json")), HttpStatusCode.RequestEntityTooLarge, "body_too_large");
        await Problem.ReadAsync(await host.Http.PostAsync(url, new StringContent("include_tags=1", Encoding.UTF8, "application/x-www-form-urlencoded")), HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
    }

    [Theory]
    [InlineData("/api/projects/Bad_Id/project-exports", "invalid_project_id")]
    [InlineData("/api/projects/demo%23x/project-exports", "invalid_project_id")]
    [InlineData("/api/projects/demo/project-exports/not-an-id", "invalid_export_id")]
    [InlineData("/api/projects/demo/project-exports/not-an-id/download", "invalid_export_id")]
    [InlineData("/api/projects/demo/project-exports?limit=0", "invalid_limit")]
    [InlineData("/api/projects/demo/project-exports?limit=abc", "invalid_limit")]
    [InlineData("/api/projects/demo/project-exports?next=%%%", "invalid_next_token")]
    [InlineData("/api/projects/demo/project-exports?next=Zm9v", "invalid_next_token")]
    [InlineData("/api/projects/demo/audit-log?next=Lw", "invalid_next_token")]
    public async Task Bad_ids_and_query_parameters_are_400_problems(string url, string code)
    {
        await host.SeedProjectAsync(projectId: "demo");
        await Problem.ReadAsync(await host.Http.GetAsync(url), HttpStatusCode.BadRequest, code);
    }

    [Fact]
    public async Task The_audit_log_records_request_and_completion_newest_first()
    {
        var project = await host.SeedProjectAsync();
        var id = (await host.ExportAndWaitAsync(project.Project.Id)).GetProperty("id").GetString()!;

        var audit = await host.Http.GetFromJsonAsync<JsonElement>($"/api/projects/{project.Project.Id}/audit-log");
        var entries = audit.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(["Project export completed", "Project export requested"], entries.Select(e => e.GetProperty("log").GetString()));
        Assert.All(entries, e =>
        {
            Assert.Equal(id, e.GetProperty("related_object_id").GetString());
            Assert.Equal(project.Project.Id, e.GetProperty("project").GetString());
            Assert.Equal(JsonValueKind.Null, e.GetProperty("author").ValueKind);
        });
    }

    [Fact]
    public async Task Health_answers_without_credentials()
    {
        var health = await host.Http.GetFromJsonAsync<JsonElement>("/api/health");
        Assert.Equal("healthy", health.GetProperty("status").GetString());
    }
}
