using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ProjectExports.Exports;
using ProjectExports.Imports;
using ProjectExports.Jobs;
using ProjectExports.Storage;
using ProjectExports.Tests.Infrastructure;
using YamlDotNet.Serialization;

namespace ProjectExports.Tests.Imports;

/// <summary>The import API over HTTP: uploads (JSON, YAML, multipart), the size limit, records, audit entries and retention.</summary>
public sealed class ImportApiTests(LocalHostFixture host) : IClassFixture<LocalHostFixture>
{
    private const int Limit = 10_000_000;

    [Fact]
    public async Task A_yaml_upload_imports_the_same_as_the_json_one()
    {
        var source = await host.SeedProjectAsync(seed: 50);
        var json = await host.ExportDocumentAsync(source.Project.Id);
        var yaml = ToYaml(JsonNode.Parse(json));
        Assert.DoesNotContain("{", yaml.Split('\n')[0], StringComparison.Ordinal); // block-style YAML, not JSON in disguise

        var results = new List<string>();
        foreach (var content in new HttpContent[]
        {
            ImportClient.Multipart(json, "project.json", strategy: "SKIP"),
            ImportClient.Multipart(yaml, "project.yaml"),
            ImportClient.Multipart(yaml, "project.txt", partType: "application/yaml"),
            new StringContent(yaml, Encoding.UTF8, "application/yaml"),
        })
        {
            var target = await host.CreateEmptyProjectAsync();
            using var response = await host.Http.PostAsync($"/api/projects/{target}/project-imports", content);
            Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
            var created = await response.Content.ReadFromJsonAsync<JsonElement>();
            var done = await host.WaitForImportAsync(target, created.GetProperty("id").GetString()!);
            Assert.Equal("SUCCESS", done.GetProperty("status").GetString());
            results.Add(ImportClient.WithoutExportedAt(await host.ExportDocumentAsync(target)));
        }
        Assert.All(results, r => Assert.Equal(ImportClient.WithoutExportedAt(json), r));
    }

    [Fact]
    public async Task An_accepted_document_is_stored_gzip_compressed_and_reads_back_as_sent()
    {
        var json = await host.ExportDocumentAsync((await host.SeedProjectAsync(seed: 51)).Project.Id);
        var target = await host.CreateEmptyProjectAsync();
        using var response = await host.Http.PostAsync($"/api/projects/{target}/project-imports", new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

        var blob = host.Storage.Blobs.GetBlobContainerClient(StorageNames.ImportContainer).GetBlobClient(ImportBlobs.Document(target, id));
        var stored = (await blob.GetPropertiesAsync()).Value;
        Assert.Equal("gzip", stored.ContentEncoding);
        Assert.True(stored.ContentLength < Encoding.UTF8.GetByteCount(json) / 4, $"{stored.ContentLength:N0} bytes stored for {Encoding.UTF8.GetByteCount(json):N0}");
        await using var content = (await ImportBlobs.OpenAsync(blob, CancellationToken.None))!;
        using var read = new MemoryStream();
        await content.CopyToAsync(read);
        Assert.Equal(Encoding.UTF8.GetBytes(json), read.ToArray());
    }

    [Fact]
    public async Task The_strategy_form_field_is_read_and_an_unknown_one_refused()
    {
        var target = await host.CreateEmptyProjectAsync();
        using var response = await host.Http.PostAsync($"/api/projects/{target}/project-imports",
            ImportClient.Multipart(ImportDocuments.Valid, "p.json", strategy: "overwrite_destructive"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("OVERWRITE_DESTRUCTIVE", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("strategy").GetString());

        await Problem.ReadAsync(await host.Http.PostAsync($"/api/projects/{target}/project-imports",
            ImportClient.Multipart(ImportDocuments.Valid, "p.json", strategy: "merge")), HttpStatusCode.BadRequest, "invalid_strategy");
        await Problem.ReadAsync(await host.Http.PostAsync($"/api/projects/{target}/project-imports",
            new MultipartFormDataContent { { new StringContent("SKIP"), "strategy" } }), HttpStatusCode.BadRequest, "missing_file");
    }

    [Fact]
    public async Task Documents_over_10_MB_are_refused_with_413_however_they_arrive()
    {
        var target = await host.CreateEmptyProjectAsync();
        var exactly = Padded(Limit);
        var over = Padded(Limit + 1);

        var atLimit = await host.ValidateAsync(target, exactly);
        Assert.Empty(atLimit.GetProperty("errors").EnumerateArray());
        using (var form = await host.Http.PostAsync($"/api/projects/{target}/project-imports/validate", ImportClient.Multipart(exactly, "limit.json")))
            Assert.Equal(HttpStatusCode.OK, form.StatusCode); // the form's own bytes do not count against the document

        await Problem.ReadAsync(await host.PostImportAsync(target, over), HttpStatusCode.RequestEntityTooLarge, "body_too_large");
        await Problem.ReadAsync(await host.Http.PostAsync($"/api/projects/{target}/project-imports", ImportClient.Multipart(over, "big.json")),
            HttpStatusCode.RequestEntityTooLarge, "body_too_large");
        // Chunked: no Content-Length to trust, the bytes are counted.
        using var chunked = new HttpRequestMessage(HttpMethod.Post, $"/api/projects/{target}/project-imports/validate")
        {
            Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(over))),
        };
        chunked.Headers.TransferEncodingChunked = true;
        chunked.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        await Problem.ReadAsync(await host.Http.SendAsync(chunked), HttpStatusCode.RequestEntityTooLarge, "body_too_large");
        Assert.Empty((await host.Http.GetFromJsonAsync<JsonElement>($"/api/projects/{target}/project-imports")).GetProperty("results").EnumerateArray());
    }

    [Fact]
    public async Task A_segment_nested_as_deep_as_the_parser_allows_imports_and_exports_again()
    {
        var target = await host.CreateEmptyProjectAsync();
        var document = ImportDocuments.Parse();
        var rule = new System.Text.Json.Nodes.JsonObject { ["type"] = "ALL", ["rules"] = new System.Text.Json.Nodes.JsonArray(), ["conditions"] = new System.Text.Json.Nodes.JsonArray() };
        for (var level = 0; level < 29; level++)
        {
            rule = new System.Text.Json.Nodes.JsonObject { ["type"] = "ANY", ["rules"] = new System.Text.Json.Nodes.JsonArray(rule), ["conditions"] = new System.Text.Json.Nodes.JsonArray() };
        }
        document["segments"]![0]!["rules"] = new System.Text.Json.Nodes.JsonArray(rule);

        var imported = await host.ImportAndWaitAsync(target, document.ToJsonString());

        Assert.Equal("SUCCESS", imported.GetProperty("status").GetString());
        Assert.Contains("\"type\":\"ANY\"", await host.ExportDocumentAsync(target));
    }

    [Fact]
    public async Task A_form_cannot_carry_more_than_the_limit_in_several_parts()
    {
        var target = await host.CreateEmptyProjectAsync();
        var form = ImportClient.Multipart(ImportDocuments.Valid, "p.json");
        for (var i = 0; i < 3; i++)
        {
            form.Add(new ByteArrayContent(new byte[4_000_000]), $"junk{i}", $"junk{i}.bin");
        }
        // Chunked, so no Content-Length gives it away: the parts are counted as they arrive.
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/projects/{target}/project-imports") { Content = form };
        request.Headers.TransferEncodingChunked = true;

        await Problem.ReadAsync(await host.Http.SendAsync(request), HttpStatusCode.RequestEntityTooLarge, "body_too_large");
        Assert.Empty((await host.Http.GetFromJsonAsync<JsonElement>($"/api/projects/{target}/project-imports")).GetProperty("results").EnumerateArray());
    }

    [Fact]
    public async Task Imports_are_listed_newest_first_with_paging_and_audited_with_their_strategy()
    {
        var target = await host.CreateEmptyProjectAsync();
        var ids = new List<string>();
        foreach (var strategy in new[] { "SKIP", "OVERWRITE_DESTRUCTIVE", "skip" })
        {
            var done = await host.ImportAndWaitAsync(target, ImportDocuments.Valid, strategy);
            ids.Add(done.GetProperty("id").GetString()!);
            host.Clock.Advance(TimeSpan.FromSeconds(1));
        }

        var first = await host.Http.GetFromJsonAsync<JsonElement>($"/api/projects/{target}/project-imports?limit=2");
        var second = await host.Http.GetFromJsonAsync<JsonElement>($"/api/projects/{target}/project-imports?limit=2&next={first.GetProperty("next").GetString()}");
        var listed = first.GetProperty("results").EnumerateArray().Concat(second.GetProperty("results").EnumerateArray()).Select(r => r.GetProperty("id").GetString()!).ToList();
        Assert.Equal(Enumerable.Reverse(ids).ToList(), listed);
        Assert.Equal(JsonValueKind.Null, second.GetProperty("next").ValueKind);

        var record = await host.Http.GetFromJsonAsync<JsonElement>($"/api/projects/{target}/project-imports/{ids[1]}");
        Assert.Equal(new[] { "id", "project", "status", "strategy", "created_at", "completed_at", "created_by", "created_by_api_key", "size_bytes", "environment_map", "environments", "plan_id", "plan_url", "reverts", "result_summary", "revert_summary", "differences", "overwritten", "error", "progress" },
            record.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal(Encoding.UTF8.GetByteCount(ImportDocuments.Valid), record.GetProperty("size_bytes").GetInt64());
        // The second import found all the first created as the document has it, so it overwrote nothing; nor did the third.
        Assert.Equal((0, 2), (ImportClient.Summary(record)["features_deleted"], ImportClient.Summary(record)["features_unchanged"]));

        var audit = (await host.Http.GetFromJsonAsync<JsonElement>($"/api/projects/{target}/audit-log"))
            .GetProperty("results").EnumerateArray().Select(e => e.GetProperty("log").GetString()!).ToList();
        Assert.Equal(2, audit.Count(l => l == "Project import requested (strategy: Skip)"));
        Assert.Equal(1, audit.Count(l => l == "Project import requested (strategy: Overwrite Destructive)"));
        Assert.Contains("Project import completed: 1 environments created, 1 tags created, 1 segments created, 2 features created, 2 feature states created, 1 feature segments created, 1 identity overrides created", audit);
        Assert.Equal(2, audit.Count(l => l.StartsWith("Project import completed: 1 environments unchanged, 1 tags unchanged, 1 segments unchanged, 2 features unchanged, 2 feature states unchanged", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Unknown_and_malformed_import_ids_are_refused()
    {
        var target = await host.CreateEmptyProjectAsync();
        await Problem.ReadAsync(await host.Http.GetAsync($"/api/projects/{target}/project-imports/{NewestFirstIds.New(host.Clock.GetUtcNow())}"), HttpStatusCode.NotFound, "import_not_found");
        await Problem.ReadAsync(await host.Http.GetAsync($"/api/projects/{target}/project-imports/nope"), HttpStatusCode.BadRequest, "invalid_import_id");
        await Problem.ReadAsync(await host.PostImportAsync("no-such-project", ImportDocuments.Valid), HttpStatusCode.NotFound, "project_not_found");
    }

    [Fact]
    public async Task Imports_and_their_documents_are_deleted_after_retention_by_the_cleanup()
    {
        var target = await host.CreateEmptyProjectAsync();
        var old = (await host.ImportAndWaitAsync(target, ImportDocuments.Valid)).GetProperty("id").GetString()!;
        host.Clock.Advance(TimeSpan.FromDays(13));
        var recent = (await host.ImportAndWaitAsync(target, ImportDocuments.Valid)).GetProperty("id").GetString()!;
        host.Clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
        var container = host.Storage.Blobs.GetBlobContainerClient(StorageNames.ImportContainer);
        Assert.True(await container.GetBlobClient(ImportBlobs.Plan(target, old)).ExistsAsync());
        Assert.True(await container.GetBlobClient(ImportBlobs.Snapshot(target, old)).ExistsAsync());
        Assert.True(await container.GetBlobClient(ImportBlobs.Review(target, old)).ExistsAsync());

        var result = await host.Services.GetRequiredService<JobCleanup>().RunAsync(CancellationToken.None);

        Assert.True(result.Of("import").Deleted >= 1);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Http.GetAsync($"/api/projects/{target}/project-imports/{old}")).StatusCode);
        Assert.Null(await host.Services.GetRequiredService<JobStore<ImportRecord>>().GetAsync(target, old, CancellationToken.None));
        Assert.False(await container.GetBlobClient(ImportBlobs.Document(target, old)).ExistsAsync());
        Assert.False(await container.GetBlobClient(ImportBlobs.Plan(target, old)).ExistsAsync());
        Assert.False(await container.GetBlobClient(ImportBlobs.Snapshot(target, old)).ExistsAsync());
        Assert.False(await container.GetBlobClient(ImportBlobs.Review(target, old)).ExistsAsync());
        Assert.True(await container.GetBlobClient(ImportBlobs.Document(target, recent)).ExistsAsync());
        Assert.Equal("SUCCESS", (await host.WaitForImportAsync(target, recent)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_list_leaves_out_imports_past_retention_as_getting_one_does_before_the_cleanup_runs()
    {
        var target = await host.CreateEmptyProjectAsync();
        var old = (await host.ImportAndWaitAsync(target, ImportDocuments.Valid)).GetProperty("id").GetString()!;
        var options = host.Services.GetRequiredService<IOptions<ImportOptions>>().Value;
        var retention = options.Retention;
        options.Retention = TimeSpan.FromMinutes(1);
        try
        {
            host.Clock.Advance(TimeSpan.FromMinutes(2)); // not across the hour, so the hourly cleanup does not run
            var recent = (await host.ImportAndWaitAsync(target, ImportDocuments.Valid)).GetProperty("id").GetString()!;
            Assert.NotNull(await host.Services.GetRequiredService<JobStore<ImportRecord>>().GetAsync(target, old, CancellationToken.None));

            var listed = await host.Http.GetFromJsonAsync<JsonElement>($"/api/projects/{target}/project-imports");
            Assert.Equal([recent], listed.GetProperty("results").EnumerateArray().Select(e => e.GetProperty("id").GetString()).ToList());
            await Problem.ReadAsync(await host.Http.GetAsync($"/api/projects/{target}/project-imports/{old}"), HttpStatusCode.NotFound, "import_not_found");
        }
        finally
        {
            options.Retention = retention;
        }
    }

    [Fact]
    public async Task Imports_stuck_processing_past_the_stall_timeout_are_marked_failed()
    {
        var target = await host.CreateEmptyProjectAsync();
        // A request whose queue message was lost: record and index entries, no message.
        var now = host.Clock.GetUtcNow();
        var record = new ImportRecord { Id = NewestFirstIds.New(now), Project = target, CreatedAt = now };
        var index = host.Services.GetRequiredService<JobIndex>();
        var kind = host.Services.GetRequiredService<JobKind<ImportRecord>>();
        await index.AddAsync(new JobIndex.Entry(kind.ProcessingIndex, target, record.Id, now), CancellationToken.None);
        await host.Services.GetRequiredService<JobStore<ImportRecord>>().CreateAsync(record, CancellationToken.None);
        var cleanup = host.Services.GetRequiredService<JobCleanup>();

        host.Clock.Advance(host.JobOptions.StallTimeout - TimeSpan.FromMinutes(1));
        await cleanup.RunAsync(CancellationToken.None);
        var early = await host.Http.GetFromJsonAsync<JsonElement>($"/api/projects/{target}/project-imports/{record.Id}");
        Assert.Equal("PROCESSING", early.GetProperty("status").GetString());
        host.Clock.Advance(TimeSpan.FromMinutes(2));
        var result = await cleanup.RunAsync(CancellationToken.None);

        Assert.True(result.Of("import").Stalled >= 1);
        var failed = await host.WaitForImportAsync(target, record.Id);
        Assert.Equal("FAILED", failed.GetProperty("status").GetString());
        Assert.Equal("import_stalled", failed.GetProperty("error").GetProperty("code").GetString());
        var audit = await host.Http.GetFromJsonAsync<JsonElement>($"/api/projects/{target}/audit-log");
        Assert.StartsWith("Project import failed: The import was still processing", audit.GetProperty("results")[0].GetProperty("log").GetString());
    }

    /// <summary>The valid document padded with trailing spaces to exactly <paramref name="bytes"/> bytes.</summary>
    private static string Padded(int bytes) => ImportDocuments.Valid + new string(' ', bytes - Encoding.UTF8.GetByteCount(ImportDocuments.Valid));

    private static string ToYaml(JsonNode? node) =>
        new SerializerBuilder().WithQuotingNecessaryStrings().Build().Serialize(ToPlain(node));

    private static object? ToPlain(JsonNode? node) => node switch
    {
        JsonObject obj => obj.ToDictionary(p => p.Key, p => ToPlain(p.Value)),
        JsonArray array => array.Select(ToPlain).ToList(),
        JsonValue value => value.GetValueKind() switch
        {
            JsonValueKind.String => value.GetValue<string>(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => value.TryGetValue(out long l) ? l : value.GetValue<double>(),
        },
        _ => null,
    };
}
