using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ProjectExports.Security;
using ProjectExports.Tests.Imports;
using ProjectExports.Tests.Infrastructure;
using ProjectExports.Tests.Security;

namespace ProjectExports.Tests.Projects;

/// <summary>Creating, listing and reading projects over HTTP through the LocalHost against Azurite.</summary>
public sealed class ProjectApiTests(SecuredProjectsFixture host) : IClassFixture<SecuredProjectsFixture>
{
    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private Task<HttpResponseMessage> PutAsync(string projectId, string body, HttpClient? client = null) =>
        (client ?? host.Http).PutAsync($"/api/projects/{projectId}", Json(body));

    [Fact]
    public async Task Creating_a_project_is_idempotent_and_audited_once()
    {
        var projectId = ImportClient.NewProjectId();

        using var first = await PutAsync(projectId, """{"name": "Checkout"}""");
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal($"/api/projects/{projectId}", first.Headers.Location?.OriginalString);
        var created = await first.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(projectId, created.GetProperty("id").GetString());
        Assert.Equal("Checkout", created.GetProperty("name").GetString());
        Assert.Equal(host.Clock.GetUtcNow(), created.GetProperty("created_at").GetDateTimeOffset());
        Assert.Equal("""{"features":0,"segments":0,"environments":0}""", created.GetProperty("counts").GetRawText());

        host.Clock.Advance(TimeSpan.FromMinutes(5));
        using var again = await PutAsync(projectId, """{"name": "Checkout"}""");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(created.GetRawText(), (await again.Content.ReadFromJsonAsync<JsonElement>()).GetRawText());
        Assert.Equal(created.GetRawText(), (await host.Http.GetFromJsonAsync<JsonElement>($"/api/projects/{projectId}")).GetRawText());

        var audit = await host.Http.GetFromJsonAsync<JsonElement>($"/api/projects/{projectId}/audit-log");
        var entry = Assert.Single(audit.GetProperty("results").EnumerateArray());
        Assert.Equal("Project created", entry.GetProperty("log").GetString());
        Assert.Equal("PROJECT", entry.GetProperty("related_object_type").GetString());
        ApiKeySecret.TryParse(host.AdminApiKey, out var adminKeyId);
        Assert.Equal(adminKeyId, entry.GetProperty("author_api_key").GetString());

        // The new project takes an import at once.
        var imported = await host.ImportAndWaitAsync(projectId, SecuredProjectsFixture.ImportDocument);
        Assert.Equal("SUCCESS", imported.GetProperty("status").GetString());
        var counts = (await host.Http.GetFromJsonAsync<JsonElement>($"/api/projects/{projectId}")).GetProperty("counts");
        Assert.Equal(1, counts.GetProperty("features").GetInt32());
    }

    [Fact]
    public async Task Creating_an_existing_project_under_another_name_is_409_and_renames_nothing()
    {
        var projectId = ImportClient.NewProjectId();
        (await PutAsync(projectId, """{"name": "First"}""")).Dispose();

        await Problem.ReadAsync(await PutAsync(projectId, """{"name": "Second"}"""), HttpStatusCode.Conflict, "project_exists");
        Assert.Equal("First", (await host.Http.GetFromJsonAsync<JsonElement>($"/api/projects/{projectId}")).GetProperty("name").GetString());
    }

    [Theory]
    [InlineData("valid admin key")]
    [InlineData("admin of this project")]
    public async Task A_per_project_admin_cannot_create_projects(string credential)
    {
        var projectId = ImportClient.NewProjectId();
        using var client = host.CreateClient(host.Credential(credential));
        await Problem.ReadAsync(await PutAsync(projectId, """{"name": "Mine"}""", client), HttpStatusCode.Forbidden, "not_all_projects_admin");
        await Problem.ReadAsync(await host.Http.GetAsync($"/api/projects/{projectId}"), HttpStatusCode.NotFound, "project_not_found");
    }

    [Fact]
    public async Task Without_credentials_every_project_endpoint_is_401()
    {
        using var client = host.CreateClient(null);
        await Problem.ReadAsync(await PutAsync(ImportClient.NewProjectId(), """{"name": "x"}""", client), HttpStatusCode.Unauthorized, "authentication_required");
        await Problem.ReadAsync(await client.GetAsync("/api/projects"), HttpStatusCode.Unauthorized, "authentication_required");
        await Problem.ReadAsync(await client.GetAsync($"/api/projects/{host.ProjectA}"), HttpStatusCode.Unauthorized, "authentication_required");
    }

    [Theory]
    [InlineData("Upper-Case")]
    [InlineData("under_score")]
    [InlineData("-leading-dash")]
    public async Task A_bad_project_id_is_400(string projectId)
    {
        await Problem.ReadAsync(await PutAsync(projectId, """{"name": "x"}"""), HttpStatusCode.BadRequest, "invalid_project_id");
    }

    [Theory]
    [InlineData("""{"name": 5}""", "invalid_body")]
    [InlineData("""{}""", "invalid_body")]
    [InlineData("""{"name": "x", "owner": "me"}""", "invalid_body")]
    [InlineData("""{"name": """, "invalid_body")]
    [InlineData("[]", "invalid_body")]
    [InlineData("", "invalid_project_name")]
    [InlineData("""{"name": "   "}""", "invalid_project_name")]
    [InlineData("""{"name": "tab\there"}""", "invalid_project_name")]
    public async Task A_bad_body_is_400_and_creates_nothing(string body, string code)
    {
        var projectId = ImportClient.NewProjectId();
        await Problem.ReadAsync(await PutAsync(projectId, body), HttpStatusCode.BadRequest, code);
        await Problem.ReadAsync(await host.Http.GetAsync($"/api/projects/{projectId}"), HttpStatusCode.NotFound, "project_not_found");
    }

    [Fact]
    public async Task A_name_longer_than_the_limit_is_400()
    {
        var body = JsonSerializer.Serialize(new { name = new string('n', 201) });
        await Problem.ReadAsync(await PutAsync(ImportClient.NewProjectId(), body), HttpStatusCode.BadRequest, "invalid_project_name");
    }

    [Fact]
    public async Task A_project_shows_its_counts_of_features_segments_and_environments()
    {
        var snapshot = await host.SeedProjectAsync(seed: 11);
        var project = await host.Http.GetFromJsonAsync<JsonElement>($"/api/projects/{snapshot.Project.Id}");
        Assert.Equal(LocalHostFixture.SeededProjectName, project.GetProperty("name").GetString());
        var counts = project.GetProperty("counts");
        Assert.True(snapshot.Features.Count > 0 && snapshot.Segments.Count > 0 && snapshot.Environments.Count > 1);
        Assert.Equal(snapshot.Features.Count, counts.GetProperty("features").GetInt32());
        Assert.Equal(snapshot.Segments.Count, counts.GetProperty("segments").GetInt32());
        Assert.Equal(snapshot.Environments.Count, counts.GetProperty("environments").GetInt32());
    }

    [Theory]
    [InlineData("valid admin key", "A")]
    [InlineData("admin of this project", "A")]
    [InlineData("admin of another project", "B")]
    [InlineData("valid non-admin", "")]
    public async Task A_caller_lists_only_the_projects_it_administers(string credential, string expected)
    {
        // A grant of a project that was never created lists nothing.
        await host.Services.GetRequiredService<ProjectGrantStore>().AddAsync("never-created", PrincipalKind.User, SecuredProjectsFixture.AdminOfA, CancellationToken.None);
        using var client = host.CreateClient(host.Credential(credential));
        var listed = await ListAllAsync(client, limit: 1);
        Assert.Equal(expected.Select(p => p == 'A' ? host.ProjectA : host.ProjectB), listed);
    }

    [Theory]
    [InlineData("all-projects key")]
    [InlineData("all-projects role")]
    public async Task An_admin_of_all_projects_lists_every_project_in_id_order_page_by_page(string credential)
    {
        var made = ImportClient.NewProjectId();
        (await PutAsync(made, """{"name": "Listed"}""")).Dispose();
        using var client = host.CreateClient(host.Credential(credential));

        var listed = await ListAllAsync(client, limit: 2);

        Assert.Contains(host.ProjectA, listed);
        Assert.Contains(host.ProjectB, listed);
        Assert.Contains(made, listed);
        Assert.Equal(listed.Order(StringComparer.Ordinal), listed);
        Assert.Equal(listed.Distinct(), listed);
        var first = await client.GetFromJsonAsync<JsonElement>("/api/projects?limit=100");
        var item = first.GetProperty("results").EnumerateArray().Single(p => p.GetProperty("id").GetString() == made);
        Assert.Equal("Listed", item.GetProperty("name").GetString());
        Assert.Equal(host.Clock.GetUtcNow(), item.GetProperty("created_at").GetDateTimeOffset());
    }

    [Theory]
    [InlineData("limit=0", "invalid_limit")]
    [InlineData("next=not-a-token!", "invalid_next_token")]
    public async Task Bad_paging_parameters_are_400(string query, string code)
    {
        await Problem.ReadAsync(await host.Http.GetAsync($"/api/projects?{query}"), HttpStatusCode.BadRequest, code);
    }

    /// <summary>Follows <c>next</c> to the last page, checking no page is larger than asked.</summary>
    private static async Task<List<string>> ListAllAsync(HttpClient client, int limit)
    {
        var ids = new List<string>();
        string? next = null;
        do
        {
            var page = await client.GetFromJsonAsync<JsonElement>($"/api/projects?limit={limit}" + (next is null ? "" : "&next=" + Uri.EscapeDataString(next)));
            var results = page.GetProperty("results").EnumerateArray().ToList();
            Assert.True(results.Count <= limit);
            ids.AddRange(results.Select(p => p.GetProperty("id").GetString()!));
            next = page.GetProperty("next").GetString();
        }
        while (next is not null);
        return ids;
    }
}
