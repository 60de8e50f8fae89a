using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ProjectExports.Projects;
using ProjectExports.Tests.Infrastructure;

namespace ProjectExports.Tests.Imports;

/// <summary>Drives the import API of a LocalHost over HTTP, and exports documents to compare against.</summary>
public static class ImportClient
{
    public static string NewProjectId() => "p-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>A project with no entities at all.</summary>
    public static async Task<string> CreateEmptyProjectAsync(this LocalHostFixture host)
    {
        var projectId = NewProjectId();
        await host.Services.GetRequiredService<ProjectStore>().SaveAsync(
            new ProjectSnapshot { Project = new Project { Id = projectId, Name = "Empty" } }, CancellationToken.None);
        return projectId;
    }

    public static Task<HttpResponseMessage> PostImportAsync(
        this LocalHostFixture host, string projectId, string document, string? strategy = null, string suffix = "", string? planIdQuery = null)
    {
        var query = string.Join('&', new[] { strategy is null ? null : $"strategy={strategy}", planIdQuery is null ? null : $"plan_id={Uri.EscapeDataString(planIdQuery)}" }.OfType<string>());
        return host.Http.PostAsync($"/api/projects/{projectId}/project-imports{suffix}{(query.Length == 0 ? "" : "?" + query)}",
            new StringContent(document, Encoding.UTF8, "application/json"));
    }

    public static async Task<JsonElement> ValidateAsync(this LocalHostFixture host, string projectId, string document, string? strategy = null)
    {
        using var response = await host.PostImportAsync(projectId, document, strategy, "/validate");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>Posts the document, expects 202, and polls until the import leaves PROCESSING.</summary>
    public static async Task<JsonElement> ImportAndWaitAsync(this LocalHostFixture host, string projectId, string document, string? strategy = null)
    {
        using var response = await host.PostImportAsync(projectId, document, strategy);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        return await host.WaitForImportAsync(projectId, created.GetProperty("id").GetString()!);
    }

    public static async Task<JsonElement> WaitForImportAsync(this LocalHostFixture host, string projectId, string importId)
    {
        JsonElement record = default;
        await LocalHostFixture.EventuallyAsync(async () =>
        {
            record = await host.Http.GetFromJsonAsync<JsonElement>($"/api/projects/{projectId}/project-imports/{importId}");
            return record.GetProperty("status").GetString() != "PROCESSING";
        }, $"import {importId} finished");
        return record;
    }

    /// <summary>A full export (tags and identity overrides included) of the project, as text.</summary>
    public static async Task<string> ExportDocumentAsync(this LocalHostFixture host, string projectId)
    {
        var record = await host.ExportAndWaitAsync(projectId, new { include_tags = true, include_identity_overrides = true });
        Assert.Equal("SUCCESS", record.GetProperty("status").GetString());
        return Encoding.UTF8.GetString(await host.DownloadAsync(projectId, record.GetProperty("id").GetString()!));
    }

    /// <summary>The document without <c>exported_at</c>, for comparing exports taken at different times.</summary>
    public static string WithoutExportedAt(string document)
    {
        var root = JsonNode.Parse(document)!.AsObject();
        root.Remove("exported_at");
        return root.ToJsonString();
    }

    public static JsonObject Parse(string document) => JsonNode.Parse(document)!.AsObject();

    public static MultipartFormDataContent Multipart(string document, string fileName, string? strategy = null, string? partType = null)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(document));
        if (partType is not null) file.Headers.ContentType = new MediaTypeHeaderValue(partType);
        form.Add(file, "file", fileName);
        if (strategy is not null) form.Add(new StringContent(strategy), "strategy");
        return form;
    }

    public static Dictionary<string, int> Summary(JsonElement holder) =>
        holder.GetProperty("result_summary").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());
}
