using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using ProjectExports.LocalHost.Demo;
using ProjectExports.Projects;
using ProjectExports.Storage;
using ProjectExports.Tests.Infrastructure;

namespace ProjectExports.Tests.Imports;

/// <summary>
/// The <c>environment_map</c> and <c>environments</c> options of POST …/project-imports and …/validate: renamed
/// environments are created or matched under their target name, environments not selected are not written at all,
/// and every misfit of the options with the document is a 400 with nothing stored.
/// </summary>
public sealed class ImportEnvironmentSelectionTests(LocalHostFixture host) : IClassFixture<LocalHostFixture>
{
    private static readonly string Map = Uri.EscapeDataString("""{"Production": "prod"}""");

    /// <summary>The hand-written document with copies of its environment under the given names after it.</summary>
    private static string Document(params string[] more)
    {
        var document = ImportDocuments.Parse();
        var environments = document["environments"]!.AsArray();
        foreach (var name in more)
        {
            var copy = environments[0]!.DeepClone();
            copy["name"] = name;
            environments.Add(copy);
        }
        return document.ToJsonString();
    }

    private Task<HttpResponseMessage> PostAsync(string project, string query, string document, string suffix = "") =>
        host.Http.PostAsync($"/api/projects/{project}/project-imports{suffix}?{query}", new StringContent(document, Encoding.UTF8, "application/json"));

    private async Task<JsonElement> ImportAndWaitAsync(string project, string query, string document)
    {
        using var response = await PostAsync(project, query, document);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        var record = await host.WaitForImportAsync(project, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!);
        Assert.Equal("SUCCESS", record.GetProperty("status").GetString());
        return record;
    }

    private async Task<Dictionary<string, JsonObject>> ExportedEnvironmentsAsync(string project) =>
        ImportClient.Parse(await host.ExportDocumentAsync(project))["environments"]!.AsArray().ToDictionary(e => (string)e!["name"]!, e => e!.AsObject());

    [Fact]
    public async Task A_mapped_environment_is_created_under_its_target_name_and_the_record_keeps_the_options()
    {
        var project = await host.CreateEmptyProjectAsync();

        var validation = await host.Http.PostAsync($"/api/projects/{project}/project-imports/validate?environment_map={Map}",
            new StringContent(ImportDocuments.Valid, Encoding.UTF8, "application/json"));
        var warnings = (await validation.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("warnings").EnumerateArray().ToList();
        Assert.Contains(warnings, w => w.GetProperty("code").GetString() == "will_create" && w.GetProperty("path").GetString() == "/environments/0"
            && w.GetProperty("message").GetString()!.Contains("'prod'", StringComparison.Ordinal));

        var record = await ImportAndWaitAsync(project, $"environment_map={Map}", ImportDocuments.Valid);

        Assert.Equal("""{"Production":"prod"}""", record.GetProperty("environment_map").GetRawText());
        Assert.Equal(JsonValueKind.Null, record.GetProperty("environments").ValueKind);
        var environments = await ExportedEnvironmentsAsync(project);
        Assert.Equal(new[] { "prod" }, environments.Keys.ToArray());
        var expected = ImportDocuments.Parse()["environments"]![0]!.AsObject();
        expected["name"] = "prod";
        Assert.Equal(expected.ToJsonString(), environments["prod"].ToJsonString());
        var listed = await host.Http.GetFromJsonAsync<JsonElement>($"/api/projects/{project}/project-imports");
        Assert.Equal("""{"Production":"prod"}""", listed.GetProperty("results")[0].GetProperty("environment_map").GetRawText());
    }

    [Fact]
    public async Task A_mapped_environment_matches_an_existing_one_by_its_target_name()
    {
        var project = await host.CreateEmptyProjectAsync();
        await ImportAndWaitAsync(project, $"environment_map={Map}", ImportDocuments.Valid);
        var changed = ImportDocuments.Parse();
        changed["environments"]![0]!["feature_states"]![1]!["enabled"] = true;

        var record = await ImportAndWaitAsync(project, $"strategy=OVERWRITE_DESTRUCTIVE&environment_map={Map}", changed.ToJsonString());

        var summary = ImportClient.Summary(record);
        // Matched, not created: its settings are the document's already, so they are left as they are.
        Assert.Equal((0, 1), (summary["environments_created"], summary["environments_unchanged"]));
        var environments = await ExportedEnvironmentsAsync(project);
        Assert.Equal(new[] { "prod" }, environments.Keys.ToArray());
        Assert.True((bool)environments["prod"]["feature_states"]!.AsArray().Single(s => (string)s!["feature"]! == "search")!["enabled"]!);
    }

    [Fact]
    public async Task Only_the_selected_environments_are_written_and_validate_points_at_the_document()
    {
        var project = await host.CreateEmptyProjectAsync();
        var document = Document("Staging", "Development");
        using var form = ImportClient.Multipart(document, "p.json");
        form.Add(new StringContent("Staging"), "environments");
        form.Add(new StringContent("Development"), "environments");
        form.Add(new StringContent("""{"Development": "dev"}"""), "environment_map");

        using var validation = await host.Http.PostAsync($"/api/projects/{project}/project-imports/validate", form);
        Assert.Equal(HttpStatusCode.OK, validation.StatusCode);
        var answer = await validation.Content.ReadFromJsonAsync<JsonElement>();
        var warnings = answer.GetProperty("warnings").EnumerateArray().Select(w => (w.GetProperty("code").GetString(), w.GetProperty("path").GetString())).ToList();
        Assert.Contains(("not_selected", "/environments/0"), warnings);
        Assert.Contains(("will_create", "/environments/1"), warnings);
        Assert.Contains(("will_create", "/environments/2"), warnings);
        Assert.DoesNotContain(("will_create", "/environments/0"), warnings);
        Assert.Equal(2, ImportClient.Summary(answer)["environments_created"]);

        using var again = ImportClient.Multipart(document, "p.json");
        again.Add(new StringContent("Staging"), "environments");
        again.Add(new StringContent("Development"), "environments");
        again.Add(new StringContent("""{"Development": "dev"}"""), "environment_map");
        using var response = await host.Http.PostAsync($"/api/projects/{project}/project-imports?environments=Development&environments=Staging", again);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("""["Staging","Development"]""", created.GetProperty("environments").GetRawText());
        var record = await host.WaitForImportAsync(project, created.GetProperty("id").GetString()!);

        Assert.Equal("SUCCESS", record.GetProperty("status").GetString());
        Assert.Equal("""{"Development":"dev"}""", record.GetProperty("environment_map").GetRawText());
        Assert.Equal(new[] { "Staging", "dev" }, (await ExportedEnvironmentsAsync(project)).Keys.Order(StringComparer.Ordinal).ToArray());
        Assert.Equal(2, ImportClient.Summary(record)["identity_overrides_created"]);
    }

    [Fact]
    public async Task A_destructive_mapped_import_leaves_every_other_environment_byte_identical()
    {
        var source = await host.SeedProjectAsync(DemoProjectSpec.Small, seed: 51);
        var document = ImportClient.Parse(await host.ExportDocumentAsync(source.Project.Id));
        var target = await host.SeedProjectAsync(DemoProjectSpec.Small, seed: 52);
        Assert.Equal(new[] { "Development", "Staging", "Production" }, target.Environments.Select(e => e.Environment.Name));
        Assert.Equal(new[] { "Development", "Production", "Staging" }, document["environments"]!.AsArray().Select(e => (string)e!["name"]!).Order(StringComparer.Ordinal));
        var others = target.Environments.Where(e => e.Environment.Name != "Staging").Select(e => e.Environment.Id).ToList();
        var before = await StoredRowsAsync(target.Project.Id, others);
        var stagingBefore = await StoredRowsAsync(target.Project.Id, [target.Environments[1].Environment.Id]);

        // The document's Development goes onto the project's Staging; its Staging (a name the target takes) and Production are ignored.
        var map = Uri.EscapeDataString("""{"Development": "Staging"}""");
        var record = await ImportAndWaitAsync(target.Project.Id, $"strategy=OVERWRITE_DESTRUCTIVE&environments=Development&environment_map={map}", document.ToJsonString());

        var summary = ImportClient.Summary(record);
        Assert.Equal((0, 1), (summary["environments_created"], summary["environments_updated"]));
        Assert.True(summary["identity_overrides_deleted"] > 0, "the import deleted identity overrides somewhere");
        Assert.Equal(before, await StoredRowsAsync(target.Project.Id, others));
        Assert.NotEqual(stagingBefore, await StoredRowsAsync(target.Project.Id, [target.Environments[1].Environment.Id]));
        var staging = (await ExportedEnvironmentsAsync(target.Project.Id))["Staging"];
        var expected = document["environments"]!.AsArray().Single(e => (string)e!["name"]! == "Development")!.AsObject();
        Assert.Equal(expected["feature_states"]!.AsArray().Count, staging["feature_states"]!.AsArray().Count);
        Assert.Equal(expected["description"]!.ToJsonString(), staging["description"]!.ToJsonString());
    }

    /// <summary>Every stored row of the environments (their settings row and partitions): keys, ETag and every property's bytes.</summary>
    private async Task<List<string>> StoredRowsAsync(string projectId, IReadOnlyList<string> environmentIds)
    {
        var table = host.Storage.Tables.GetTableClient(StorageNames.ProjectConfigurationTable);
        var filters = environmentIds.SelectMany(id => new[]
        {
            TableClient.CreateQueryFilter($"PartitionKey eq {projectId} and RowKey eq {"environment:" + id}"),
            TableClient.CreateQueryFilter($"PartitionKey eq {projectId + ":" + id}"),
            TableClient.CreateQueryFilter($"PartitionKey eq {projectId + ":" + id + ":identities"}"),
        });
        var rows = new List<string>();
        foreach (var filter in filters)
        {
            await foreach (var row in table.QueryAsync<TableEntity>(filter))
            {
                var properties = row.Where(p => p.Key is not ("odata.etag" or "Timestamp")).OrderBy(p => p.Key, StringComparer.Ordinal)
                    .Select(p => $"{p.Key}={(p.Value is byte[] bytes ? Convert.ToBase64String(bytes) : p.Value)}");
                rows.Add($"{row.PartitionKey}/{row.RowKey}/{row.ETag}/{string.Join(";", properties)}");
            }
        }
        Assert.True(rows.Count > environmentIds.Count, "the environments have data");
        return rows;
    }

    public static TheoryData<string, string, string, string?> Refused => new()
    {
        // query, form fields (name=value, '|' between), expected code, expected issue code
        { "environment_map=" + Uri.EscapeDataString("""{"Production":"""), "", "invalid_environment_map", null },
        { "environment_map=" + Uri.EscapeDataString("""{"Production": 1}"""), "", "invalid_environment_map", null },
        { "environment_map=" + Uri.EscapeDataString("""["prod"]"""), "", "invalid_environment_map", null },
        { "environment_map=" + Uri.EscapeDataString("""{"Production": "a", "Production": "b"}"""), "", "invalid_environment_map", null },
        { "", """environment_map={"Production": null}""", "invalid_environment_map", null },
        { "environment_map=" + Uri.EscapeDataString("""{"Nowhere": "x"}"""), "", "invalid_environment_selection", "unknown_reference" },
        { "environments=Production&environments=Nowhere", "", "invalid_environment_selection", "unknown_reference" },
        { "", "environments=production", "invalid_environment_selection", "unknown_reference" },
        { "environment_map=" + Uri.EscapeDataString("""{"Production": "x", "Staging": "x"}"""), "", "invalid_environment_selection", "duplicate_name" },
        { "environment_map=" + Uri.EscapeDataString("""{"Production": "Staging"}"""), "", "invalid_environment_selection", "duplicate_name" },
        { "environment_map=" + Uri.EscapeDataString("""{"Production": "Sta\u200Bging"}"""), "", "invalid_environment_selection", "lookalike_name" },
        { "environment_map=" + Uri.EscapeDataString("""{"Production": ""}"""), "", "invalid_environment_selection", "invalid_name" },
        { "environment_map=" + Uri.EscapeDataString("""{"Production": "  "}"""), "", "invalid_environment_selection", "invalid_name" },
        { "environment_map=" + Map + "&environment_map=" + Map, "", "ambiguous_query", null },
        { "", """environment_map={"Production": "prod"}|environment_map={"Production": "prod"}""", "ambiguous_form", null },
        { "environment_map=" + Map, """environment_map={"Production": "live"}""", "conflicting_environment_map", null },
        { "environments=Production", "environments=Staging", "conflicting_environments", null },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task Options_that_do_not_fit_the_document_are_refused_by_both_endpoints_with_nothing_stored(string query, string fields, string code, string? issue)
    {
        var project = await host.CreateEmptyProjectAsync();
        foreach (var suffix in new[] { "/validate", "" })
        {
            var document = Document("Staging");
            using var content = fields.Length == 0
                ? (HttpContent)new StringContent(document, Encoding.UTF8, "application/json")
                : Form(document, fields);
            var response = await host.Http.PostAsync($"/api/projects/{project}/project-imports{suffix}?{query}", content);
            var problem = await Problem.ReadAsync(response, HttpStatusCode.BadRequest, code);
            if (issue is not null)
                Assert.Contains(problem.GetProperty("errors").EnumerateArray(), e => e.GetProperty("code").GetString() == issue);
        }
        Assert.Empty((await host.Http.GetFromJsonAsync<JsonElement>($"/api/projects/{project}/project-imports")).GetProperty("results").EnumerateArray());
        var blobs = host.Storage.Blobs.GetBlobContainerClient(StorageNames.ImportContainer)
            .GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, project + "/", CancellationToken.None);
        await foreach (var _ in blobs) Assert.Fail("a refused import was stored");
        Assert.Empty(ImportClient.Parse(await host.ExportDocumentAsync(project))["environments"]!.AsArray());
    }

    private static MultipartFormDataContent Form(string document, string fields)
    {
        var form = ImportClient.Multipart(document, "p.json");
        foreach (var field in fields.Split('|'))
        {
            var at = field.IndexOf('=', StringComparison.Ordinal);
            form.Add(new StringContent(field[(at + 1)..]), field[..at]);
        }
        return form;
    }

    [Fact]
    public async Task The_same_options_in_query_and_form_are_accepted()
    {
        var project = await host.CreateEmptyProjectAsync();
        using var form = Form(Document("Staging"), """environment_map={ "Production" : "prod" }|environments=Production""");
        using var response = await host.Http.PostAsync(
            $"/api/projects/{project}/project-imports?environments=Production&environments=Production&environment_map={Map}", form);

        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        var record = await host.WaitForImportAsync(project, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!);
        Assert.Equal("""["Production"]""", record.GetProperty("environments").GetRawText());
        Assert.Equal(new[] { "prod" }, (await ExportedEnvironmentsAsync(project)).Keys.ToArray());
    }
}
