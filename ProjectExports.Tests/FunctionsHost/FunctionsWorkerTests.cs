using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using ProjectExports.Exports;
using ProjectExports.Jobs;
using ProjectExports.Projects;
using ProjectExports.Security;
using ProjectExports.Storage;
using ProjectExports.Tests.FunctionsHost.Rpc;
using ProjectExports.Tests.Imports;
using ProjectExports.Tests.Infrastructure;

namespace ProjectExports.Tests.FunctionsHost;

/// <summary>
/// The deployed product itself: the built Functions app in its worker process, its functions invoked over the
/// host protocol with real Azurite queues and tables, compared with the LocalHost where both should agree.
/// </summary>
public sealed class FunctionsWorkerTests(FunctionsWorkerFixture worker, LocalHostFixture local)
    : IClassFixture<FunctionsWorkerFixture>, IClassFixture<LocalHostFixture>
{
    private const string BuildExport = "BuildExport";
    private const string ApplyImport = "ApplyImport";

    private async Task<JsonElement> CreateExportThroughWorkerAsync(string projectId, object body)
    {
        using var response = await worker.Http.PostAsJsonAsync($"/api/projects/{projectId}/project-exports", body);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        var record = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal($"/api/projects/{projectId}/project-exports/{record.GetProperty("id").GetString()}", response.Headers.Location?.OriginalString);
        Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta); // the worker passes the header on as the LocalHost does
        return record;
    }

    [Fact]
    public async Task An_export_is_created_built_from_its_queue_message_and_downloaded_with_the_same_bytes_as_through_the_LocalHost()
    {
        var projectId = ImportClient.NewProjectId();
        await worker.SeedProjectAsync(projectId: projectId, seed: 7);
        await local.SeedProjectAsync(projectId: projectId, seed: 7);
        var body = new { include_tags = true, include_identity_overrides = true };

        var created = await CreateExportThroughWorkerAsync(projectId, body);
        var exportId = created.GetProperty("id").GetString()!;
        Assert.Equal("PROCESSING", created.GetProperty("status").GetString());
        var deliveries = await worker.Queues.DrainAsync(BuildExport);
        Assert.Contains(deliveries, d => d.Outcome == DeliveryOutcome.Completed);

        var record = await worker.GetJsonAsync($"/api/projects/{projectId}/project-exports/{exportId}");
        Assert.Equal("SUCCESS", record.GetProperty("status").GetString());
        using var download = await worker.Http.GetAsync($"/api/projects/{projectId}/project-exports/{exportId}/download");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("application/json", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"attachment; filename=\"project-export.{projectId}.{exportId}.json\"", download.Content.Headers.ContentDisposition?.ToString());
        var bytes = await download.Content.ReadAsByteArrayAsync();
        Assert.Equal(record.GetProperty("size_bytes").GetInt64(), bytes.Length);

        var viaLocalHost = await local.ExportAndWaitAsync(projectId, body);
        var localBytes = await local.DownloadAsync(projectId, viaLocalHost.GetProperty("id").GetString()!);
        Assert.Equal(ImportClient.WithoutExportedAt(Encoding.UTF8.GetString(localBytes)), ImportClient.WithoutExportedAt(Encoding.UTF8.GetString(bytes)));

        var listed = await worker.GetJsonAsync($"/api/projects/{projectId}/project-exports");
        Assert.Equal(exportId, listed.GetProperty("results")[0].GetProperty("id").GetString());
    }

    [Theory]
    [InlineData("yaml", "application/yaml", "yaml", false)]
    [InlineData("json", "application/json", "json", true)]
    [InlineData("flagd", "application/json", "flagd.json", true)]
    public async Task Formats_and_selections_are_built_through_the_worker_as_through_the_LocalHost(string format, string mediaType, string extension, bool oneEnvironment)
    {
        var projectId = ImportClient.NewProjectId();
        var seeded = await worker.SeedProjectAsync(projectId: projectId, seed: 11);
        await local.SeedProjectAsync(projectId: projectId, seed: 11);
        object body = oneEnvironment
            ? new { format, environments = new[] { seeded.Environments[^1].Environment.Name } }
            : new { format };

        var exportId = (await CreateExportThroughWorkerAsync(projectId, body)).GetProperty("id").GetString()!;
        Assert.Contains(await worker.Queues.DrainAsync(BuildExport), d => d.Outcome == DeliveryOutcome.Completed);

        var record = await worker.GetJsonAsync($"/api/projects/{projectId}/project-exports/{exportId}");
        Assert.Equal("SUCCESS", record.GetProperty("status").GetString());
        Assert.Equal(format, record.GetProperty("format").GetString());
        Assert.Equal(oneEnvironment, record.GetProperty("selection").ValueKind == JsonValueKind.Object);
        using var download = await worker.Http.GetAsync($"/api/projects/{projectId}/project-exports/{exportId}/download");
        Assert.Equal(mediaType, download.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"attachment; filename=\"project-export.{projectId}.{exportId}.{extension}\"", download.Content.Headers.ContentDisposition?.ToString());
        var viaLocalHost = await local.ExportAndWaitAsync(projectId, body);
        var localBytes = await local.DownloadAsync(projectId, viaLocalHost.GetProperty("id").GetString()!);
        Assert.Equal(Comparable(localBytes), Comparable(await download.Content.ReadAsByteArrayAsync()));

        // Two exports differ only in exported_at (a flagd file has none).
        string Comparable(byte[] file) => format == "yaml"
            ? string.Join('\n', Encoding.UTF8.GetString(file).Split('\n').Where(l => !l.StartsWith("exported_at:", StringComparison.Ordinal)))
            : ImportClient.WithoutExportedAt(Encoding.UTF8.GetString(file));
    }

    [Fact]
    public async Task A_project_is_created_read_and_listed_through_the_worker()
    {
        var projectId = ImportClient.NewProjectId();
        using var body = new StringContent("""{"name": "Made in the worker"}""", Encoding.UTF8, "application/json");

        using var created = await worker.Http.PutAsync($"/api/projects/{projectId}", body);
        Assert.True(created.StatusCode == HttpStatusCode.Created, $"{created.StatusCode}: {await created.Content.ReadAsStringAsync()}");
        Assert.Equal($"/api/projects/{projectId}", created.Headers.Location?.OriginalString);
        using var again = await worker.Http.PutAsync($"/api/projects/{projectId}", new StringContent("""{"name": "Made in the worker"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);

        var project = await worker.GetJsonAsync($"/api/projects/{projectId}");
        Assert.Equal("Made in the worker", project.GetProperty("name").GetString());
        Assert.Equal(0, project.GetProperty("counts").GetProperty("features").GetInt32());
        var listed = await worker.GetJsonAsync("/api/projects?limit=100");
        Assert.Contains(listed.GetProperty("results").EnumerateArray(), p => p.GetProperty("id").GetString() == projectId);
    }

    [Fact]
    public async Task An_import_is_validated_created_and_applied_through_the_worker()
    {
        var source = await local.SeedProjectAsync();
        var document = await local.ExportDocumentAsync(source.Project.Id);
        var projectId = ImportClient.NewProjectId();
        await worker.Services.GetRequiredService<ProjectStore>().SaveAsync(
            new ProjectSnapshot { Project = new Project { Id = projectId, Name = "Empty" } }, CancellationToken.None);

        string planId;
        using (var validate = await worker.Http.PostAsync($"/api/projects/{projectId}/project-imports/validate", new StringContent(document, Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.OK, validate.StatusCode);
            var validation = await validate.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(0, validation.GetProperty("errors").GetArrayLength());
            planId = validation.GetProperty("plan_id").GetString()!;
        }
        using var create = await worker.Http.PostAsync($"/api/projects/{projectId}/project-imports?plan_id={planId}", new StringContent(document, Encoding.UTF8, "application/json"));
        Assert.True(create.StatusCode == HttpStatusCode.Accepted, await create.Content.ReadAsStringAsync());
        var importId = (await create.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

        Assert.Contains(await worker.Queues.DrainAsync(ApplyImport), d => d.Outcome == DeliveryOutcome.Completed);
        var record = await worker.GetJsonAsync($"/api/projects/{projectId}/project-imports/{importId}");
        Assert.Equal("SUCCESS", record.GetProperty("status").GetString());
        var plan = await worker.GetJsonAsync(record.GetProperty("plan_url").GetString()!);
        Assert.Equal(planId, plan.GetProperty("plan_id").GetString());
        Assert.All(plan.GetProperty("entries").EnumerateArray(), e => Assert.Equal("create", e.GetProperty("action").GetString()));

        // What the worker imported exports as the document it came from.
        var exportId = (await CreateExportThroughWorkerAsync(projectId, new { include_tags = true, include_identity_overrides = true })).GetProperty("id").GetString()!;
        await worker.Queues.DrainAsync(BuildExport);
        var exported = await worker.Http.GetStringAsync($"/api/projects/{projectId}/project-exports/{exportId}/download");
        Assert.Equal(ImportClient.WithoutExportedAt(document), ImportClient.WithoutExportedAt(exported));
    }

    [Fact]
    public async Task An_import_is_reverted_through_the_worker()
    {
        var projectId = ImportClient.NewProjectId();
        await worker.Services.GetRequiredService<ProjectStore>().SaveAsync(
            new ProjectSnapshot { Project = new Project { Id = projectId, Name = "Empty" } }, CancellationToken.None);
        using var create = await worker.Http.PostAsync($"/api/projects/{projectId}/project-imports", new StringContent(ImportDocuments.Valid, Encoding.UTF8, "application/json"));
        var importId = (await create.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        await worker.Queues.DrainAsync(ApplyImport);
        Assert.Equal(new ProjectCounts(2, 1, 1), await worker.Services.GetRequiredService<ProjectStore>().CountAsync(projectId, CancellationToken.None));

        using var revert = await worker.Http.PostAsync($"/api/projects/{projectId}/project-imports/{importId}/revert", null);
        Assert.True(revert.StatusCode == HttpStatusCode.Accepted, await revert.Content.ReadAsStringAsync());
        var revertId = (await revert.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        Assert.Contains(await worker.Queues.DrainAsync(ApplyImport), d => d.Outcome == DeliveryOutcome.Completed);

        var record = await worker.GetJsonAsync($"/api/projects/{projectId}/project-imports/{revertId}");
        Assert.Equal("SUCCESS", record.GetProperty("status").GetString());
        Assert.Equal(importId, record.GetProperty("reverts").GetString());
        Assert.Equal(new ProjectCounts(0, 0, 0), await worker.Services.GetRequiredService<ProjectStore>().CountAsync(projectId, CancellationToken.None));
    }

    [Fact]
    public async Task A_build_that_fails_every_time_is_retried_and_its_fifth_delivery_marks_the_export_failed_and_poisons_the_message()
    {
        var project = await worker.SeedProjectAsync();
        var table = worker.Services.GetRequiredService<StorageClients>().Tables.GetTableClient(StorageNames.ProjectConfigurationTable);
        await table.UpsertEntityAsync(new TableEntity($"{project.Project.Id}:{project.Environments[0].Environment.Id}", "!state:f0") { ["Data"] = "not json"u8.ToArray() });
        await worker.Queues.DrainAsync(BuildExport);

        var exportId = (await CreateExportThroughWorkerAsync(project.Project.Id, new { })).GetProperty("id").GetString()!;
        var deliveries = await worker.Queues.DrainAsync(BuildExport);

        Assert.Equal([1, 2, 3, 4, 5], deliveries.Select(d => d.DequeueCount));
        Assert.Equal([DeliveryOutcome.Retried, DeliveryOutcome.Retried, DeliveryOutcome.Retried, DeliveryOutcome.Retried, DeliveryOutcome.Poisoned], deliveries.Select(d => d.Outcome));
        // A handler that throws is a failed invocation with the exception, never a hung one.
        Assert.All(deliveries, d =>
        {
            Assert.Equal(StatusResult.Types.Status.Failure, d.Response!.Result.Status);
            Assert.False(string.IsNullOrEmpty(d.Response.Result.Exception.Message));
        });
        var record = await worker.GetJsonAsync($"/api/projects/{project.Project.Id}/project-exports/{exportId}");
        Assert.Equal("FAILED", record.GetProperty("status").GetString());
        Assert.Contains("5 attempts", record.GetProperty("error").GetProperty("message").GetString());
        var poison = new QueueServiceClient(worker.StorageConnectionString).GetQueueClient(StorageNames.ExportPoisonQueue);
        var poisoned = await poison.PeekMessagesAsync(32);
        Assert.Contains(poisoned.Value, m => Encoding.UTF8.GetString(Convert.FromBase64String(m.MessageText)).Contains(exportId, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(BuildExport, "project-exports")]
    [InlineData(ApplyImport, "project-imports")]
    public async Task A_message_that_is_not_a_request_fails_each_delivery_and_ends_in_the_poison_queue_as_in_the_LocalHost(string function, string queueName)
    {
        await worker.Queues.DrainAsync(function);
        var queues = new QueueServiceClient(worker.StorageConnectionString, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        var marker = Guid.NewGuid().ToString("N");
        await queues.GetQueueClient(queueName).SendMessageAsync($"{{\"not\": \"{marker}\"}}");

        var deliveries = await worker.Queues.DrainAsync(function);

        Assert.Equal([DeliveryOutcome.Retried, DeliveryOutcome.Retried, DeliveryOutcome.Retried, DeliveryOutcome.Retried, DeliveryOutcome.Poisoned], deliveries.Select(d => d.Outcome));
        var poisoned = await queues.GetQueueClient(queueName + "-poison").PeekMessagesAsync(32);
        Assert.Contains(poisoned.Value, m => m.MessageText.Contains(marker, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_timer_removes_an_export_past_retention_and_keeps_a_recent_one()
    {
        var project = await worker.SeedProjectAsync();
        var expired = await worker.Services.GetRequiredService<ExportRequests>().RequestAsync(
            project.Project.Id, new ExportSelection(true, false), ExportFormat.Json, Caller.ApiKey("test"), CancellationToken.None);
        await worker.Queues.DrainAsync(BuildExport);
        var recent = (await CreateExportThroughWorkerAsync(project.Project.Id, new { })).GetProperty("id").GetString()!;
        await worker.Queues.DrainAsync(BuildExport);

        var run = await worker.Host.FireTimerAsync("CleanupExports", TimeSpan.FromSeconds(60));

        Assert.Equal(StatusResult.Types.Status.Success, run.Result.Status);
        Assert.Null(await worker.Services.GetRequiredService<JobStore<ExportRecord>>().GetAsync(project.Project.Id, expired.Id, CancellationToken.None));
        using var gone = await worker.Http.GetAsync($"/api/projects/{project.Project.Id}/project-exports/{expired.Id}");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Equal("SUCCESS", (await worker.GetJsonAsync($"/api/projects/{project.Project.Id}/project-exports/{recent}")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task HEAD_on_a_GET_function_answers_like_GET_without_a_body_as_in_the_LocalHost()
    {
        var project = await worker.SeedProjectAsync();
        foreach (var path in new[] { "/api/health", $"/api/projects/{project.Project.Id}/project-exports" })
        {
            using var head = await worker.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, path));
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
            Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        }
    }

    [Fact]
    public async Task Every_HTTP_function_but_Health_asks_for_credentials_first_as_in_the_LocalHost()
    {
        using var anonymousToWorker = worker.CreateClient(null);
        using var anonymousToLocalHost = local.CreateClient(null);
        var http = worker.Host.Functions.Values.Where(f => f.TriggerType == "httpTrigger").ToList();
        Assert.True(http.Count > 10, $"{http.Count} HTTP functions");
        foreach (var function in http)
        {
            // Ids that would be refused (and a project that does not exist): authentication comes before all of that.
            var path = "/api/" + function.Property("route")!.Replace("{projectId}", "bad id", StringComparison.Ordinal)
                .Replace("{exportId}", "not-an-id", StringComparison.Ordinal).Replace("{importId}", "not-an-id", StringComparison.Ordinal);
            using var viaWorker = await anonymousToWorker.SendAsync(new HttpRequestMessage(new HttpMethod(function.Methods[0]), path));
            using var viaLocalHost = await anonymousToLocalHost.SendAsync(new HttpRequestMessage(new HttpMethod(function.Methods[0]), path));

            var expected = function.Name == "Health" ? HttpStatusCode.OK : HttpStatusCode.Unauthorized;
            Assert.True(expected == viaWorker.StatusCode, $"{function.Name}: {viaWorker.StatusCode} {await viaWorker.Content.ReadAsStringAsync()}");
            Assert.Equal(viaLocalHost.StatusCode, viaWorker.StatusCode);
            Assert.Equal(viaLocalHost.Headers.WwwAuthenticate.ToString(), viaWorker.Headers.WwwAuthenticate.ToString());
        }
    }

    [Fact]
    public async Task A_project_row_that_cannot_be_read_is_a_409_problem_through_the_worker_as_in_the_LocalHost()
    {
        var projectId = ImportClient.NewProjectId();
        foreach (var services in new[] { worker.Services, local.Services })
        {
            await services.GetRequiredService<ProjectStore>().SaveAsync(
                new ProjectSnapshot { Project = new Project { Id = projectId, Name = "Corrupt" } }, CancellationToken.None);
            await services.GetRequiredService<StorageClients>().Tables.GetTableClient(StorageNames.ProjectConfigurationTable).UpsertEntityAsync(
                new TableEntity(projectId, "!feature:corrupt") { ["Data"] = "{\"feature:corrupt\": {\"name\": []}}"u8.ToArray() });
        }

        var path = $"/api/projects/{projectId}/project-imports/validate";
        using var viaWorker = await worker.Http.PostAsync(path, new StringContent(ImportDocuments.Valid, Encoding.UTF8, "application/json"));
        using var viaLocalHost = await local.Http.PostAsync(path, new StringContent(ImportDocuments.Valid, Encoding.UTF8, "application/json"));

        await Problem.ReadAsync(viaWorker, HttpStatusCode.Conflict, "stored_data_unreadable");
        Assert.Equal(viaLocalHost.StatusCode, viaWorker.StatusCode);
    }

    public static TheoryData<string, string, string?> BadRequests => new()
    {
        { "POST", "/api/projects/{p}/project-exports", "{\"include_tags\": " },
        { "POST", "/api/projects/{p}/project-exports", "{\"include_tags\": \"yes\"}" },
        { "POST", "/api/projects/{p}/project-exports", "{\"include_tagz\": true}" },
        { "POST", "/api/projects/no-such-project-here/project-imports/validate", "{}" },
        { "POST", "/api/projects/{p}/project-imports", "not json" },
        { "GET", "/api/projects/{p}/project-exports/25160691311953143760decac5", null },
        { "GET", "/api/projects/{p}/project-exports/not-an-id/download", null },
        { "GET", "/api/projects/no-such-project-here/project-exports", null },
        { "GET", "/api/projects/{p}/project-imports?limit=0", null },
        { "GET", "/api/projects/bad%20id/audit-log", null },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Bad_requests_get_the_same_problem_bodies_as_through_the_LocalHost(string method, string path, string? body)
    {
        var projectId = ImportClient.NewProjectId();
        await worker.SeedProjectAsync(projectId: projectId);
        await local.SeedProjectAsync(projectId: projectId);
        path = path.Replace("{p}", projectId, StringComparison.Ordinal);

        async Task<(HttpStatusCode Status, string? Type, JsonNode? Body)> SendAsync(HttpClient client)
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
            using var response = await client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, text.Length == 0 ? null : JsonNode.Parse(text));
        }

        var viaWorker = await SendAsync(worker.Http);
        var viaLocalHost = await SendAsync(local.Http);

        Assert.True((int)viaWorker.Status is >= 400 and < 500, $"{viaWorker.Status}: {viaWorker.Body}");
        Assert.Equal(viaLocalHost.Status, viaWorker.Status);
        Assert.Equal("application/problem+json", viaWorker.Type);
        Assert.Equal(viaLocalHost.Type, viaWorker.Type);
        Assert.True(JsonNode.DeepEquals(viaLocalHost.Body, viaWorker.Body), $"LocalHost: {viaLocalHost.Body}\nworker: {viaWorker.Body}");
    }
}
