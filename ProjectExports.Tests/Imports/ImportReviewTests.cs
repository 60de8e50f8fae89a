using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using ProjectExports.Projects;
using ProjectExports.Storage;
using ProjectExports.LocalHost.Demo;
using ProjectExports.Tests.Infrastructure;

namespace ProjectExports.Tests.Imports;

/// <summary>
/// The reviewed plan (each entity's action and an update's fields), importing exactly a reviewed plan, and re-imports that
/// write nothing: over HTTP through the LocalHost against Azurite, counting the writes the app sends to storage.
/// </summary>
public sealed class ImportReviewTests(ImportReviewTests.CountingFixture host) : IClassFixture<ImportReviewTests.CountingFixture>
{
    /// <summary>Counts the writes (transactions and single rows) the app sends for one project's configuration.</summary>
    public sealed class WriteCounter : ProjectWritesPolicy
    {
        private int _count;

        public string? ProjectId { get; set; }

        public int Count => Volatile.Read(ref _count);

        protected override ValueTask BeforeWriteAsync(string request, CancellationToken cancellationToken)
        {
            if (ProjectId is not null && Writes(request, ProjectId)) Interlocked.Increment(ref _count);
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>Holds the next import message the app sends until the test lets it go: the window between an import's 202 and its apply.</summary>
    public sealed class MessageHold : HttpPipelinePolicy
    {
        private readonly SemaphoreSlim _held = new(0);
        private readonly SemaphoreSlim _release = new(0);
        private int _armed;

        public void Arm() => Volatile.Write(ref _armed, 1);

        public Task WaitUntilHeldAsync() => _held.WaitAsync(TimeSpan.FromSeconds(30));

        public void Release() => _release.Release();

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) => ProcessNext(message, pipeline);

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            if (message.Request.Method == RequestMethod.Post && message.Request.Uri.Path.EndsWith($"/{StorageNames.ImportQueue}/messages", StringComparison.Ordinal)
                && Interlocked.Exchange(ref _armed, 0) == 1)
            {
                _held.Release();
                await _release.WaitAsync(message.CancellationToken);
            }
            await ProcessNextAsync(message, pipeline);
        }
    }

    public sealed class CountingFixture : LocalHostFixture
    {
        public WriteCounter Counter { get; } = new();

        public MessageHold Hold { get; } = new();

        protected override void ConfigureServices(IServiceCollection services)
        {
            services.AddSingleton(Counter.Registration);
            services.AddSingleton(new StoragePipelinePolicy(StorageService.Queues, Hold));
        }
    }

    [Theory]
    [InlineData("SKIP")]
    [InlineData("OVERWRITE_DESTRUCTIVE")]
    public async Task Importing_a_project_s_own_export_again_writes_nothing_and_counts_every_entity_unchanged(string strategy)
    {
        // The seeded project's rows were written by hand, not by an import: its ids are not the ones an import derives.
        var source = await host.SeedProjectAsync(DemoProjectSpec.Small, seed: 7);
        var projectId = source.Project.Id;
        var document = await host.ExportDocumentAsync(projectId);
        var parsed = ImportClient.Parse(document);
        host.Counter.ProjectId = projectId;

        var import = await host.ImportAndWaitAsync(projectId, document, strategy);
        var writes = host.Counter.Count;
        host.Counter.ProjectId = null;

        Assert.Equal("SUCCESS", import.GetProperty("status").GetString());
        Assert.Equal(0, writes);
        var summary = ImportClient.Summary(import);
        Assert.All(summary.Where(p => !p.Key.EndsWith("_unchanged", StringComparison.Ordinal)), p => Assert.True(p.Value == 0, $"{p.Key} = {p.Value}"));
        var environments = parsed["environments"]!.AsArray();
        Assert.Equal(parsed["tags"]!.AsArray().Count, summary["tags_unchanged"]);
        Assert.Equal(parsed["segments"]!.AsArray().Count, summary["segments_unchanged"]);
        Assert.Equal(parsed["features"]!.AsArray().Count, summary["features_unchanged"]);
        Assert.Equal(environments.Count, summary["environments_unchanged"]);
        Assert.Equal(environments.Sum(e => e!["feature_states"]!.AsArray().Count), summary["feature_states_unchanged"]);
        Assert.Equal(environments.Sum(e => e!["feature_segments"]!.AsArray().Count), summary["feature_segments_unchanged"]);
        Assert.Equal(environments.Sum(e => e!["identity_overrides"]!.AsArray().Count), summary["identity_overrides_unchanged"]);
        Assert.True(summary["identity_overrides_unchanged"] > 0 && summary["feature_segments_unchanged"] > 0);
        Assert.Equal(ImportClient.WithoutExportedAt(document), ImportClient.WithoutExportedAt(await host.ExportDocumentAsync(projectId)));
    }

    [Fact]
    public async Task A_second_import_of_the_same_document_writes_nothing()
    {
        var projectId = await host.CreateEmptyProjectAsync();
        await host.ImportAndWaitAsync(projectId, ImportDocuments.Valid, "OVERWRITE_DESTRUCTIVE");
        host.Counter.ProjectId = projectId;

        var again = await host.ImportAndWaitAsync(projectId, ImportDocuments.Valid, "OVERWRITE_DESTRUCTIVE");
        var writes = host.Counter.Count;
        host.Counter.ProjectId = null;

        Assert.Equal("SUCCESS", again.GetProperty("status").GetString());
        Assert.Equal(0, writes);
        var review = await host.ValidateAsync(projectId, ImportDocuments.Valid, "OVERWRITE_DESTRUCTIVE");
        Assert.All(review.GetProperty("plan").GetProperty("entries").EnumerateArray(), e => Assert.Equal("unchanged", e.GetProperty("action").GetString()));
    }

    [Fact]
    public async Task Validate_lists_each_entity_s_action_and_an_update_s_changed_fields_before_and_after()
    {
        var projectId = await host.CreateEmptyProjectAsync();
        await host.ImportAndWaitAsync(projectId, ImportDocuments.Valid);
        var changed = ImportDocuments.Parse();
        changed["tags"]![0]!["color"] = "#00FF00";
        changed["segments"]![0]!["rules"]![0]!["rules"]![0]!["conditions"]![0]!["value"] = "gamma";
        changed["features"]![0]!["multivariate_options"]![1]!["default_percentage_allocation"] = 25;
        var production = changed["environments"]![0]!;
        production["banner_text"] = "hi";
        production["feature_states"]![0]!["multivariate_feature_state_values"]![1]!["percentage_allocation"] = 15;
        production["feature_segments"]![0]!["feature_state"]!["feature_state_value"]!["integer_value"] = 8;
        production["identity_overrides"]![0]!["feature_state"]!["enabled"] = false;

        var overwrite = Entries(await host.ValidateAsync(projectId, changed.ToJsonString(), "OVERWRITE_DESTRUCTIVE"));

        AssertUpdate(overwrite, "tag|core", "/color", "\"#FF0000\"", "\"#00FF00\"");
        AssertUpdate(overwrite, "segment|beta", "/rules/0/rules/0/conditions/0/value", "\"beta\"", "\"gamma\"");
        AssertUpdate(overwrite, "feature|checkout", "/multivariate_options/1/default_percentage_allocation", "20", "25");
        AssertUpdate(overwrite, "environment|Production", "/banner_text", null, "\"hi\"");
        AssertUpdate(overwrite, "feature_state|checkout|Production", "/multivariate_feature_state_values/1/percentage_allocation", "20", "15");
        AssertUpdate(overwrite, "segment_override|checkout|Production|beta", "/feature_state/feature_state_value/integer_value", "7", "8");
        AssertUpdate(overwrite, "identity_override|search|Production||user-42", "/feature_state/enabled", "true", "false");
        Assert.Equal("unchanged", overwrite["feature|search"].GetProperty("action").GetString());
        Assert.Equal("unchanged", overwrite["feature_state|search|Production"].GetProperty("action").GetString());

        // SKIP leaves what differs alone and says so; what is equal is unchanged either way.
        var skip = Entries(await host.ValidateAsync(projectId, changed.ToJsonString(), "SKIP"));
        foreach (var key in new[] { "tag|core", "segment|beta", "feature|checkout", "environment|Production", "feature_state|checkout|Production", "segment_override|checkout|Production|beta", "identity_override|search|Production||user-42" })
        {
            Assert.Equal("skip", skip[key].GetProperty("action").GetString());
            Assert.False(skip[key].TryGetProperty("changes", out _));
        }
        Assert.Equal("unchanged", skip["feature|search"].GetProperty("action").GetString());
    }

    [Fact]
    public async Task Validate_lists_deletes_first_and_new_entities_as_creates()
    {
        var projectId = await host.CreateEmptyProjectAsync();
        await host.ImportAndWaitAsync(projectId, ImportDocuments.Valid);
        var changed = ImportDocuments.Parse();
        changed["environments"]![0]!["feature_segments"] = new JsonArray();
        changed["environments"]![0]!["identity_overrides"] = new JsonArray();
        changed["features"]!.AsArray().Add(JsonNode.Parse("""{"name": "fresh", "type": "STANDARD", "default_enabled": true, "initial_value": null, "description": null, "is_server_key_only": false, "tags": [], "multivariate_options": []}"""));

        var validation = await host.ValidateAsync(projectId, changed.ToJsonString(), "OVERWRITE_DESTRUCTIVE");

        var entries = validation.GetProperty("plan").GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(["delete", "delete"], entries.Take(2).Select(e => e.GetProperty("action").GetString()));
        var entryKeys = Entries(validation);
        Assert.Equal("delete", entryKeys["segment_override|checkout|Production|beta"].GetProperty("action").GetString());
        Assert.Equal("delete", entryKeys["identity_override|search|Production||user-42"].GetProperty("action").GetString());
        Assert.Equal("create", entryKeys["feature|fresh"].GetProperty("action").GetString());
        Assert.Equal(entries.Count, validation.GetProperty("plan").GetProperty("total").GetInt32());
        Assert.False(validation.GetProperty("plan").GetProperty("truncated").GetBoolean());
    }

    [Fact]
    public async Task An_entry_with_many_changes_lists_the_first_twenty_and_counts_them_all()
    {
        var projectId = await host.CreateEmptyProjectAsync();
        var document = ImportDocuments.Parse();
        var conditions = document["segments"]![0]!["rules"]![0]!["rules"]![0]!["conditions"]!.AsArray();
        for (var i = 1; i < 25; i++) conditions.Add(conditions[0]!.DeepClone());
        await host.ImportAndWaitAsync(projectId, document.ToJsonString());
        foreach (var condition in conditions) condition!["value"] = "changed";

        var validation = await host.ValidateAsync(projectId, document.ToJsonString(), "OVERWRITE_DESTRUCTIVE");

        var entry = Entries(validation)["segment|beta"];
        Assert.Equal(20, entry.GetProperty("changes").GetArrayLength());
        Assert.Equal(25, entry.GetProperty("changes_total").GetInt32());
        Assert.True(validation.GetProperty("plan").GetProperty("truncated").GetBoolean());
    }

    [Fact]
    public async Task A_long_value_is_shown_by_length_and_hash()
    {
        var projectId = await host.CreateEmptyProjectAsync();
        await host.ImportAndWaitAsync(projectId, ImportDocuments.Valid);
        var changed = ImportDocuments.Parse();
        var description = new string('x', 1000);
        changed["features"]![1]!["description"] = description;

        var change = Entries(await host.ValidateAsync(projectId, changed.ToJsonString(), "OVERWRITE_DESTRUCTIVE"))["feature|search"]
            .GetProperty("changes").EnumerateArray().Single();

        Assert.Equal("/description", change.GetProperty("field").GetString());
        Assert.Equal("\"d\"", change.GetProperty("before").GetRawText());
        var after = change.GetProperty("after");
        var json = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(description));
        Assert.True(after.GetProperty("elided").GetBoolean());
        Assert.Equal(json.Length, after.GetProperty("length").GetInt32());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(json)), after.GetProperty("sha256").GetString());
    }

    [Fact]
    public async Task An_import_given_a_plan_id_runs_only_while_the_project_is_as_the_plan_found_it()
    {
        var projectId = await host.CreateEmptyProjectAsync();
        var planned = await host.ValidateAsync(projectId, ImportDocuments.Valid, "SKIP");
        var planId = planned.GetProperty("plan_id").GetString()!;
        Assert.Matches("^[0-9a-f]{64}$", planId);
        Assert.Equal(planId, (await host.ValidateAsync(projectId, ImportDocuments.Valid, "SKIP")).GetProperty("plan_id").GetString());
        Assert.NotEqual(planId, (await host.ValidateAsync(projectId, ImportDocuments.Valid, "OVERWRITE_DESTRUCTIVE")).GetProperty("plan_id").GetString());
        // The environment options are part of what was reviewed, even where they make the same writes.
        using (var mapped = await host.Http.PostAsync($"/api/projects/{projectId}/project-imports/validate?strategy=SKIP&environments=Production",
            new StringContent(ImportDocuments.Valid, Encoding.UTF8, "application/json")))
        {
            Assert.NotEqual(planId, (await mapped.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("plan_id").GetString());
        }

        using (var accepted = await host.PostImportAsync(projectId, ImportDocuments.Valid, "SKIP", planIdQuery: planId))
        {
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
            var record = await accepted.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(planId, record.GetProperty("plan_id").GetString());
            Assert.Equal("SUCCESS", (await host.WaitForImportAsync(projectId, record.GetProperty("id").GetString()!)).GetProperty("status").GetString());
        }

        // Reviewed, then someone else changes the project before the import is sent.
        var changed = ImportDocuments.Parse();
        changed["tags"]![0]!["color"] = "#0000FF";
        var reviewed = (await host.ValidateAsync(projectId, changed.ToJsonString(), "OVERWRITE_DESTRUCTIVE")).GetProperty("plan_id").GetString()!;
        var meanwhile = ImportDocuments.Parse();
        meanwhile["features"]![1]!["description"] = "changed meanwhile";
        await host.ImportAndWaitAsync(projectId, meanwhile.ToJsonString(), "OVERWRITE_DESTRUCTIVE");
        var before = await host.ExportDocumentAsync(projectId);
        var imports = await CountImportsAsync(projectId);

        using var refused = await host.PostImportAsync(projectId, changed.ToJsonString(), "OVERWRITE_DESTRUCTIVE", planIdQuery: reviewed);

        var problem = await Problem.ReadAsync(refused, HttpStatusCode.Conflict, "plan_outdated");
        Assert.Contains(reviewed, problem.GetProperty("detail").GetString());
        Assert.Equal(imports, await CountImportsAsync(projectId));
        Assert.Equal(ImportClient.WithoutExportedAt(before), ImportClient.WithoutExportedAt(await host.ExportDocumentAsync(projectId)));

        using var malformed = await host.PostImportAsync(projectId, changed.ToJsonString(), "OVERWRITE_DESTRUCTIVE", planIdQuery: "not-a-plan");
        await Problem.ReadAsync(malformed, HttpStatusCode.BadRequest, "invalid_plan_id");
    }

    /// <summary>An import of <see cref="ImportDocuments.Valid"/> as a multipart form with a strategy and each of <paramref name="planIds"/> as a field.</summary>
    private Task<HttpResponseMessage> PostFormAsync(string projectId, string query, params string[] planIds)
    {
        var form = ImportClient.Multipart(ImportDocuments.Valid, "project.json", "SKIP");
        foreach (var planId in planIds) form.Add(new StringContent(planId), "plan_id");
        return host.Http.PostAsync($"/api/projects/{projectId}/project-imports{query}", form);
    }

    [Fact]
    public async Task A_plan_id_sent_as_a_form_field_counts_as_the_querys()
    {
        var projectId = await host.CreateEmptyProjectAsync();
        var planId = (await host.ValidateAsync(projectId, ImportDocuments.Valid, "SKIP")).GetProperty("plan_id").GetString()!;
        var otherOptions = (await host.ValidateAsync(projectId, ImportDocuments.Valid, "OVERWRITE_DESTRUCTIVE")).GetProperty("plan_id").GetString()!;

        using (var outdated = await PostFormAsync(projectId, "", otherOptions))
        {
            await Problem.ReadAsync(outdated, HttpStatusCode.Conflict, "plan_outdated");
        }
        using (var conflicting = await PostFormAsync(projectId, $"?plan_id={otherOptions}", planId))
        {
            await Problem.ReadAsync(conflicting, HttpStatusCode.BadRequest, "conflicting_plan_id");
        }
        foreach (var malformed in new[] { "not-a-plan", "" })
        {
            using var refused = await PostFormAsync(projectId, "", malformed);
            await Problem.ReadAsync(refused, HttpStatusCode.BadRequest, "invalid_plan_id");
        }
        using (var twice = await PostFormAsync(projectId, "", planId, planId))
        {
            await Problem.ReadAsync(twice, HttpStatusCode.BadRequest, "ambiguous_form");
        }
        Assert.Equal(0, await CountImportsAsync(projectId));

        using var accepted = await PostFormAsync(projectId, $"?plan_id={planId}", planId);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var record = await accepted.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(planId, record.GetProperty("plan_id").GetString());
        Assert.Equal("SUCCESS", (await host.WaitForImportAsync(projectId, record.GetProperty("id").GetString()!)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_reviewed_plan_is_not_applied_to_a_project_that_changed_after_the_202()
    {
        var projectId = await host.CreateEmptyProjectAsync();
        await host.ImportAndWaitAsync(projectId, ImportDocuments.Valid);
        var changed = ImportDocuments.Parse();
        changed["tags"]![0]!["color"] = "#0000FF";
        var planId = (await host.ValidateAsync(projectId, changed.ToJsonString(), "OVERWRITE_DESTRUCTIVE")).GetProperty("plan_id").GetString()!;
        host.Hold.Arm();
        var posting = host.PostImportAsync(projectId, changed.ToJsonString(), "OVERWRITE_DESTRUCTIVE", planIdQuery: planId);
        await host.Hold.WaitUntilHeldAsync();

        // Accepted against the reviewed state; then, before the apply, someone adds a tag.
        var store = host.Services.GetRequiredService<ProjectStore>();
        await store.SaveAsync(new ProjectSnapshot
        {
            Project = (await store.GetProjectAsync(projectId, CancellationToken.None))!,
            Tags = [new Tag { Id = "t-meanwhile", Project = projectId, Label = "meanwhile" }],
        }, CancellationToken.None);
        var before = await host.ExportDocumentAsync(projectId);
        host.Hold.Release();
        using var accepted = await posting;
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var import = await host.WaitForImportAsync(projectId, (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!);

        Assert.Equal("FAILED", import.GetProperty("status").GetString());
        Assert.Equal("plan_outdated", import.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(ImportClient.WithoutExportedAt(before), ImportClient.WithoutExportedAt(await host.ExportDocumentAsync(projectId)));
    }

    [Fact]
    public async Task A_large_plan_is_capped_in_the_validation_and_downloads_whole_from_the_import()
    {
        var projectId = await host.CreateEmptyProjectAsync();
        var document = ImportDocuments.Parse();
        for (var i = 0; i < 250; i++)
        {
            document["features"]!.AsArray().Add(JsonNode.Parse($$"""{"name": "bulk_{{i:D3}}", "type": "STANDARD", "default_enabled": false, "initial_value": null, "description": null, "is_server_key_only": false, "tags": [], "multivariate_options": []}"""));
        }

        var validation = await host.ValidateAsync(projectId, document.ToJsonString(), "SKIP");
        var plan = validation.GetProperty("plan");
        var total = plan.GetProperty("total").GetInt32();
        Assert.True(plan.GetProperty("truncated").GetBoolean());
        Assert.True(total > 250, $"{total} entries");
        Assert.Equal(200, plan.GetProperty("entries").GetArrayLength());

        var import = await host.ImportAndWaitAsync(projectId, document.ToJsonString(), "SKIP");
        using var download = await host.Http.GetAsync(import.GetProperty("plan_url").GetString());

        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("application/json", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"project-import-plan.{projectId}.{import.GetProperty("id").GetString()}.json", download.Content.Headers.ContentDisposition?.FileNameStar ?? download.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var whole = await download.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(validation.GetProperty("plan_id").GetString(), whole.GetProperty("plan_id").GetString());
        Assert.Equal(import.GetProperty("plan_id").GetString(), whole.GetProperty("plan_id").GetString());
        Assert.False(whole.GetProperty("truncated").GetBoolean());
        Assert.Equal(total, whole.GetProperty("entries").GetArrayLength());
    }

    private async Task<int> CountImportsAsync(string projectId) =>
        (await host.Http.GetFromJsonAsync<JsonElement>($"/api/projects/{projectId}/project-imports")).GetProperty("results").GetArrayLength();

    /// <summary>The plan's entries by "type|name|environment|segment|identifier", with trailing empty parts left off.</summary>
    private static Dictionary<string, JsonElement> Entries(JsonElement validation) =>
        validation.GetProperty("plan").GetProperty("entries").EnumerateArray().ToDictionary(e =>
            string.Join('|', new[] { "type", "name", "environment", "segment", "identifier" }
                .Select(p => e.TryGetProperty(p, out var v) ? v.GetString() : "")).TrimEnd('|'));

    private static void AssertUpdate(Dictionary<string, JsonElement> entries, string key, string field, string? before, string? after)
    {
        Assert.True(entries.TryGetValue(key, out var entry), $"no entry {key} in {string.Join(", ", entries.Keys)}");
        Assert.Equal("update", entry.GetProperty("action").GetString());
        var change = Assert.Single(entry.GetProperty("changes").EnumerateArray());
        Assert.Equal(field, change.GetProperty("field").GetString());
        Assert.Equal(before ?? "null", change.GetProperty("before").GetRawText());
        Assert.Equal(after ?? "null", change.GetProperty("after").GetRawText());
    }
}
