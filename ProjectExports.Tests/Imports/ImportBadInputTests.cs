using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using ProjectExports.Imports;
using ProjectExports.Jobs;
using ProjectExports.Security;
using ProjectExports.Storage;
using ProjectExports.Tests.Infrastructure;

namespace ProjectExports.Tests.Imports;

/// <summary>Bad input is refused with 400 and a problem body naming where, never a 500, and nothing is written.</summary>
public sealed class ImportBadInputTests(LocalHostFixture host) : IClassFixture<LocalHostFixture>
{
    /// <summary>Stands for two bytes that are not UTF-8 (0xC3 0x28: a lead byte without its continuation).</summary>
    private const string BadBytes = "«bad»";

    public static TheoryData<string, string, string> NotUnicode => new()
    {
        // replace in the valid document, with, expected path
        { "\"name\": \"search\"", "\"name\": \"se\\ud800arch\"", "/features/1/name" },
        { "\"identifier\": \"user-42\"", "\"identifier\": \"user-\\udc00\"", "/environments/0/identity_overrides/0/identifier" },
        { "\"is_permanent\": false", "\"is_\\ud800permanent\": false", "/tags/0/is_\\ud800permanent" },
        { "\"name\": \"search\"", $"\"name\": \"se{BadBytes}arch\"", "/features/1/name" },
        { "\"description\": \"d\"", $"\"description\": \"{BadBytes}\"", "/features/1/description" },
        { "\"label\": \"core\"", $"\"label\": \"co\\u00e9{BadBytes}\"", "/tags/0/label" },
    };

    private static byte[] Bytes(string text)
    {
        var parts = text.Split(BadBytes);
        return parts.Select(p => Encoding.UTF8.GetBytes(p)).Aggregate((a, b) => [.. a, 0xC3, 0x28, .. b]);
    }

    private static ByteArrayContent Content(byte[] bytes, string mediaType)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return content;
    }

    private async Task AssertNothingStoredAsync(string projectId)
    {
        Assert.Empty((await host.Http.GetFromJsonAsync<JsonElement>($"/api/projects/{projectId}/project-imports")).GetProperty("results").EnumerateArray());
        var blobs = host.Storage.Blobs.GetBlobContainerClient(StorageNames.ImportContainer)
            .GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, projectId + "/", CancellationToken.None);
        await foreach (var _ in blobs) Assert.Fail("a refused document was stored");
        var messages = await host.Storage.Queues.GetQueueClient(StorageNames.ImportQueue).PeekMessagesAsync(32);
        Assert.DoesNotContain(messages.Value, m => m.MessageText.Contains(projectId, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(NotUnicode))]
    public async Task Text_that_is_not_valid_Unicode_is_refused_with_its_path_as_JSON_YAML_and_form(string find, string replace, string path)
    {
        var project = await host.CreateEmptyProjectAsync();
        Assert.Contains(find, ImportDocuments.Valid, StringComparison.Ordinal);
        var bytes = Bytes(ImportDocuments.Valid.Replace(find, replace, StringComparison.Ordinal));

        using var validated = await host.Http.PostAsync($"/api/projects/{project}/project-imports/validate", Content(bytes, "application/json"));
        Assert.Equal(HttpStatusCode.OK, validated.StatusCode);
        var errors = (await validated.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(("invalid_unicode", path), Issue(Assert.Single(errors.EnumerateArray())));

        var uploads = new List<HttpContent> { Content(bytes, "application/json"), new MultipartFormDataContent { { Content(bytes, "application/json"), "file", "p.json" } } };
        if (!replace.Contains("\\u", StringComparison.Ordinal)) uploads.Add(Content(bytes, "application/yaml")); // JSON is YAML; YAML has no \ud800 escapes
        foreach (var upload in uploads)
        {
            var problem = await Problem.ReadAsync(await host.Http.PostAsync($"/api/projects/{project}/project-imports", upload), HttpStatusCode.BadRequest, "invalid_document");
            Assert.Equal(("invalid_unicode", path), Issue(Assert.Single(problem.GetProperty("errors").EnumerateArray())));
        }
        await AssertNothingStoredAsync(project);
    }

    private static (string?, string?) Issue(JsonElement issue) => (issue.GetProperty("code").GetString(), issue.GetProperty("path").GetString());

    [Fact]
    public async Task A_strategy_field_that_is_not_UTF_8_is_refused()
    {
        var project = await host.CreateEmptyProjectAsync();
        var form = new MultipartFormDataContent
        {
            { new StringContent(ImportDocuments.Valid), "file", "p.json" },
            { new ByteArrayContent(Bytes($"SKIP{BadBytes}")), "strategy" },
        };

        var problem = await Problem.ReadAsync(await host.Http.PostAsync($"/api/projects/{project}/project-imports", form), HttpStatusCode.BadRequest, "invalid_strategy");

        Assert.Contains("UTF-8", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await AssertNothingStoredAsync(project);
    }

    [Theory]
    [InlineData("{\"include_tags\":true,\"include_tags\":false}", "include_tags")]
    [InlineData("{\"include_tags\":true,\"x\\ud800\":1}", "valid UTF-8")]
    [InlineData("{\"include_tags\":true,\"x«bad»\":1}", "valid UTF-8")]
    public async Task The_export_body_refuses_duplicate_keys_and_text_that_is_not_Unicode(string body, string detail)
    {
        var project = await host.CreateEmptyProjectAsync();

        var problem = await Problem.ReadAsync(
            await host.Http.PostAsync($"/api/projects/{project}/project-exports", Content(Bytes(body), "application/json")), HttpStatusCode.BadRequest, "invalid_body");

        Assert.Contains(detail, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty((await host.Http.GetFromJsonAsync<JsonElement>($"/api/projects/{project}/project-exports")).GetProperty("results").EnumerateArray());
    }

    [Fact]
    public async Task Several_file_or_strategy_parts_or_strategies_that_disagree_are_refused_not_guessed()
    {
        var project = await host.CreateEmptyProjectAsync();
        var twoFiles = ImportClient.Multipart(ImportDocuments.Valid, "a.json");
        twoFiles.Add(new StringContent("{}"), "file", "b.json");
        var twoStrategies = ImportClient.Multipart(ImportDocuments.Valid, "a.json", strategy: "SKIP");
        twoStrategies.Add(new StringContent("SKIP"), "strategy");
        var url = $"/api/projects/{project}/project-imports";

        await Problem.ReadAsync(await host.Http.PostAsync(url, twoFiles), HttpStatusCode.BadRequest, "ambiguous_form");
        await Problem.ReadAsync(await host.Http.PostAsync(url, twoStrategies), HttpStatusCode.BadRequest, "ambiguous_form");
        await Problem.ReadAsync(await host.Http.PostAsync($"{url}?strategy=SKIP",
            ImportClient.Multipart(ImportDocuments.Valid, "a.json", strategy: "OVERWRITE_DESTRUCTIVE")), HttpStatusCode.BadRequest, "conflicting_strategy");
        await Problem.ReadAsync(await host.Http.PostAsync($"{url}?strategy=SKIP&strategy=SKIP",
            ImportClient.Multipart(ImportDocuments.Valid, "a.json")), HttpStatusCode.BadRequest, "ambiguous_query");
        await AssertNothingStoredAsync(project);

        using var same = await host.Http.PostAsync($"{url}/validate?strategy=skip", ImportClient.Multipart(ImportDocuments.Valid, "a.json", strategy: "SKIP"));
        Assert.Equal(HttpStatusCode.OK, same.StatusCode); // the same strategy twice is not ambiguous
    }

    [Fact]
    public async Task A_validate_answer_stays_small_however_long_the_names_it_reports()
    {
        var project = await host.CreateEmptyProjectAsync();
        var document = ImportDocuments.Parse();
        var feature = document["features"]![0]!.AsObject();
        for (var i = 0; i < 2_000; i++) feature[$"{i}-{new string('x', 4_000)}"] = 1; // 8 MB of unknown property names

        var text = document.ToJsonString();
        using var response = await host.PostImportAsync(project, text, suffix: "/validate");
        var answer = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(text.Length > 8_000_000);
        Assert.True(answer.Length < 1_500_000, $"the answer to an {text.Length:N0}-character document is {answer.Length:N0} characters");
        var warning = JsonDocument.Parse(answer).RootElement.GetProperty("warnings").EnumerateArray().First(w => w.GetProperty("code").GetString() == "unknown_property");
        Assert.EndsWith(Echo.Marker, warning.GetProperty("path").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("/features/0/0-xxx", warning.GetProperty("path").GetString(), StringComparison.Ordinal);
    }

    private async Task<string> ProjectWithCorruptRowAsync()
    {
        var project = await host.CreateEmptyProjectAsync();
        var table = host.Storage.Tables.GetTableClient(StorageNames.ProjectConfigurationTable);
        await table.UpsertEntityAsync(new TableEntity(project, "!feature:corrupt") { ["Data"] = "{\"feature:corrupt\": {\"name\": []}}"u8.ToArray() });
        return project;
    }

    [Fact]
    public async Task A_project_row_that_cannot_be_decoded_gives_a_409_problem_with_a_logged_reason_and_writes_nothing()
    {
        var project = await ProjectWithCorruptRowAsync();

        await Problem.ReadAsync(await host.PostImportAsync(project, ImportDocuments.Valid, suffix: "/validate"), HttpStatusCode.Conflict, "stored_data_unreadable");
        await Problem.ReadAsync(await host.PostImportAsync(project, ImportDocuments.Valid), HttpStatusCode.Conflict, "stored_data_unreadable");

        await AssertNothingStoredAsync(project);
        Assert.Contains(host.Logs.Lines, l => l.StartsWith("Error", StringComparison.Ordinal) && l.Contains("feature:corrupt is not a readable Feature", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("gzip")] // said to be compressed, and not
    public async Task An_import_whose_stored_plan_breaks_after_the_202_is_retried_then_failed_with_a_reason(string? contentEncoding)
    {
        // The apply step reads only the stored plan: an accepted import (record, plan) whose plan blob is unreadable.
        var project = await host.CreateEmptyProjectAsync();
        var now = host.Clock.GetUtcNow();
        var record = new ImportRecord { Id = NewestFirstIds.New(now), Project = project, CreatedAt = now, SizeBytes = 1 };
        await host.Storage.Blobs.GetBlobContainerClient(StorageNames.ImportContainer).GetBlobClient(ImportBlobs.Plan(project, record.Id))
            .UploadAsync(BinaryData.FromString("{\"rows\": not json"), new Azure.Storage.Blobs.Models.BlobUploadOptions { HttpHeaders = new() { ContentEncoding = contentEncoding } });
        await host.Services.GetRequiredService<JobStore<ImportRecord>>().CreateAsync(record, CancellationToken.None);
        await host.Storage.Queues.GetQueueClient(StorageNames.ImportQueue).SendMessageAsync(JsonSerializer.Serialize(new { projectId = project, importId = record.Id }));

        var done = await host.WaitForImportAsync(project, record.Id);

        Assert.Equal("FAILED", done.GetProperty("status").GetString());
        Assert.Contains("5 attempts", done.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("stored data", done.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        await LocalHostFixture.EventuallyAsync(async () =>
            (await host.Storage.Queues.GetQueueClient(StorageNames.ImportPoisonQueue).PeekMessagesAsync(32)).Value.Any(m => m.MessageText.Contains(record.Id, StringComparison.Ordinal)),
            "the message is in the poison queue");
    }

    [Theory]
    [InlineData("features", "name", "caf\u00e9", "cafe\u0301")] // NFC and NFD
    [InlineData("features", "name", "search", "sea\u200brch")] // zero-width space
    [InlineData("tags", "label", "core", "co\u00adre")] // soft hyphen
    [InlineData("environments", "name", "Production", "Production\ufeff")] // byte order mark
    public async Task Names_that_differ_only_by_normalization_or_invisible_characters_are_refused_with_both_paths(string section, string field, string first, string second)
    {
        var project = await host.CreateEmptyProjectAsync();
        var document = ImportDocuments.Parse();
        var items = document[section]!.AsArray();
        var template = items[^1]!.ToJsonString();
        foreach (var name in new[] { first, second }.Distinct().Where(n => !items.Any(i => (string?)i![field] == System.Text.RegularExpressions.Regex.Unescape(n))))
        {
            var copy = System.Text.Json.Nodes.JsonNode.Parse(template)!.AsObject();
            copy[field] = System.Text.RegularExpressions.Regex.Unescape(name);
            items.Add(copy);
        }
        var index = (string n) => items.Select((item, i) => (item, i)).Single(p => (string?)p.item![field] == System.Text.RegularExpressions.Regex.Unescape(n)).i;
        var (firstPath, secondPath) = ($"/{section}/{index(first)}/{field}", $"/{section}/{index(second)}/{field}");

        var result = await host.ValidateAsync(project, document.ToJsonString());

        var error = Assert.Single(result.GetProperty("errors").EnumerateArray());
        Assert.Equal(("lookalike_name", secondPath), Issue(error));
        Assert.Contains(firstPath, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains(("unnormalized_name", secondPath), result.GetProperty("warnings").EnumerateArray().Select(Issue));
        await Problem.ReadAsync(await host.PostImportAsync(project, document.ToJsonString()), HttpStatusCode.BadRequest, "invalid_document");
        await AssertNothingStoredAsync(project);
    }

    [Fact]
    public async Task A_single_name_that_is_not_NFC_is_imported_as_written_with_a_warning()
    {
        var project = await host.CreateEmptyProjectAsync();
        var document = ImportDocuments.With("/environments/0/name", "\"Produc\u0074ion\u0301\"");

        var result = await host.ValidateAsync(project, document);

        Assert.Empty(result.GetProperty("errors").EnumerateArray());
        Assert.Contains(("unnormalized_name", "/environments/0/name"), result.GetProperty("warnings").EnumerateArray().Select(Issue));
    }
}
