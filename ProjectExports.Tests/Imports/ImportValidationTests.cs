using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using NJsonSchema;
using ProjectExports.Tests.Infrastructure;

namespace ProjectExports.Tests.Imports;

/// <summary>The validate and create endpoints against a catalogue of broken documents: each problem by code and JSON Pointer.</summary>
public sealed class ImportValidationTests(LocalHostFixture host) : IClassFixture<LocalHostFixture>
{
    private static readonly string Long = new('x', 1001);

    public static TheoryData<string, string, string, string> Broken => new()
    {
        // pointer, new value (JSON, or REMOVE), expected code, expected path
        { "/version", "2", "unsupported_version", "/version" },
        { "/version", "\"1\"", "wrong_type", "/version" },
        { "/version", "REMOVE", "missing_field", "/version" },
        { "/features", "REMOVE", "missing_field", "/features" },
        { "/features", "{}", "wrong_type", "/features" },
        { "/features/0/default_enabled", "\"yes\"", "wrong_type", "/features/0/default_enabled" },
        { "/features/0/multivariate_options/0/default_percentage_allocation", "\"30\"", "wrong_type", "/features/0/multivariate_options/0/default_percentage_allocation" },
        { "/environments/0/hide_disabled_flags", "\"no\"", "wrong_type", "/environments/0/hide_disabled_flags" },
        { "/environments/0/feature_states/0/multivariate_feature_state_values/0/multivariate_feature_option", "\"0\"", "wrong_type", "/environments/0/feature_states/0/multivariate_feature_state_values/0/multivariate_feature_option" },
        { "/segments/0/name", "5", "wrong_type", "/segments/0/name" },
        { "/features/1/name", "REMOVE", "missing_field", "/features/1/name" },
        { "/environments/0/feature_segments/0/priority", "REMOVE", "missing_field", "/environments/0/feature_segments/0/priority" },
        { "/features/1/name", "\"checkout\"", "duplicate_name", "/features/1/name" },
        { "/environments/0/feature_states/1/feature", "\"checkout\"", "duplicate_entry", "/environments/0/feature_states/1/feature" },
        { "/environments/0/feature_states/0/feature", "\"ghost\"", "unknown_reference", "/environments/0/feature_states/0/feature" },
        { "/environments/0/feature_segments/0/segment", "\"ghost\"", "unknown_reference", "/environments/0/feature_segments/0/segment" },
        { "/environments/0/identity_overrides/0/feature_state/feature", "\"ghost\"", "unknown_reference", "/environments/0/identity_overrides/0/feature_state/feature" },
        { "/features/0/tags/0", "\"ghost\"", "unknown_reference", "/features/0/tags/0" },
        { "/tags", "REMOVE", "unknown_reference", "/features/0/tags/0" },
        { "/environments/0/feature_states/0/multivariate_feature_state_values/1/multivariate_feature_option", "2", "unknown_reference", "/environments/0/feature_states/0/multivariate_feature_state_values/1/multivariate_feature_option" },
        { "/environments/0/feature_segments/0/feature_state/feature", "\"search\"", "inconsistent_reference", "/environments/0/feature_segments/0/feature_state/feature" },
        { "/features/0/multivariate_options/0/default_percentage_allocation", "130", "percentage_out_of_range", "/features/0/multivariate_options/0/default_percentage_allocation" },
        { "/features/0/multivariate_options/0/default_percentage_allocation", "90", "percentage_sum_over_100", "/features/0/multivariate_options" },
        { "/environments/0/feature_states/0/multivariate_feature_state_values/0/percentage_allocation", "-1", "percentage_out_of_range", "/environments/0/feature_states/0/multivariate_feature_state_values/0/percentage_allocation" },
        { "/environments/0/feature_states/0/multivariate_feature_state_values/0/percentage_allocation", "90.5", "percentage_sum_over_100", "/environments/0/feature_states/0/multivariate_feature_state_values" },
        { "/environments/0/feature_states/1/feature_state_value/type", "\"int\"", "value_type_mismatch", "/environments/0/feature_states/1/feature_state_value/integer_value" },
        { "/features/0/multivariate_options/1/string_value", "\"x\"", "value_type_mismatch", "/features/0/multivariate_options/1/string_value" },
        { "/features/1/type", "\"BOOLEAN\"", "invalid_value", "/features/1/type" },
        { "/segments/0/rules/0/rules/0/type", "\"SOME\"", "invalid_value", "/segments/0/rules/0/rules/0/type" },
        { "/tags/0/label", "\"bad\\u0001\"", "invalid_name", "/tags/0/label" },
        { "/segments/0/name", "\"  \"", "invalid_name", "/segments/0/name" },
        { "/environments/0/name", $"\"{Long}\"", "invalid_name", "/environments/0/name" },
        { "/environments/0/identity_overrides/0/identifier", $"\"{new string('u', 500)}\"", "key_too_long", "/environments/0/identity_overrides/0/identifier" },
        { "/features/1/description", $"\"{new string('d', 1_000_000)}\"", "entity_too_large", "/features/1" },
        { "/segments/0/rules/0/rules/0/conditions/0/property", "\"other\"", "conflicting_fields", "/segments/0/rules/0/rules/0/conditions/0/property" },
        // Whole numbers written with a fraction or exponent: one rule for every integer field, the model's own (strict).
        { "/version", "1.0", "wrong_type", "/version" },
        { "/version", "1e0", "wrong_type", "/version" },
        { "/environments/0/feature_states/0/multivariate_feature_state_values/1/multivariate_feature_option", "1.0", "wrong_type", "/environments/0/feature_states/0/multivariate_feature_state_values/1/multivariate_feature_option" },
        { "/environments/0/feature_segments/0/priority", "0.0", "wrong_type", "/environments/0/feature_segments/0/priority" },
        { "/environments/0/feature_states/1/feature_state_value/integer_value", "5.0", "wrong_type", "/environments/0/feature_states/1/feature_state_value/integer_value" },
        // Values of the wrong kind, read past to the end whatever they hold.
        { "/segments/0/rules", "{\"a\":\"x\",\"b\":{\"c\":[2]},\"d\":[]}", "wrong_type", "/segments/0/rules" },
        { "/features/0/tags", "{\"x\":[{}]}", "wrong_type", "/features/0/tags" },
        { "/environments/0/feature_states", "{\"feature\":\"checkout\"}", "wrong_type", "/environments/0/feature_states" },
        { "/environments/0/identity_overrides/0", "[{\"identifier\":\"u\"}]", "wrong_type", "/environments/0/identity_overrides/0" },
        { "/features/0/default_enabled", "null", "wrong_type", "/features/0/default_enabled" },
    };

    [Fact]
    public async Task Problems_after_a_value_of_the_wrong_kind_are_still_found()
    {
        var project = await host.CreateEmptyProjectAsync();
        var document = ImportDocuments.Parse();
        // Each wrong container comes before a sibling that is also wrong, so the sibling is read only if the container was read past whole.
        var segment = document["segments"]![0]!.AsObject();
        segment.Remove("name");
        segment["rules"] = JsonNode.Parse("""{"a":"x","b":{"c":[{"d":1}]},"e":[]}""");
        segment["name"] = 5;
        var feature = document["features"]![0]!.AsObject();
        feature.Remove("default_enabled");
        feature["tags"] = JsonNode.Parse("""{"x":[{"name":"a"}]}""");
        feature["default_enabled"] = "yes";

        var result = await host.ValidateAsync(project, document.ToJsonString());

        var errors = result.GetProperty("errors").EnumerateArray().Select(e => (e.GetProperty("code").GetString(), e.GetProperty("path").GetString())).ToList();
        Assert.Equal(
            [("wrong_type", "/segments/0/rules"), ("wrong_type", "/segments/0/name"), ("wrong_type", "/features/0/tags"), ("wrong_type", "/features/0/default_enabled")],
            errors);
    }

    [Fact]
    public async Task Rows_larger_than_Table_Storage_holds_are_refused_before_the_202_not_after()
    {
        var project = await host.CreateEmptyProjectAsync();
        var document = ImportDocuments.Parse();
        // Small in the document (~480 KB), but every option gets an id in storage: over the 1 MiB row limit.
        var options = Enumerable.Range(0, 9_000).Select(_ => (System.Text.Json.Nodes.JsonNode?)new System.Text.Json.Nodes.JsonObject
        {
            ["type"] = "unicode", ["string_value"] = null, ["integer_value"] = null, ["boolean_value"] = null, ["default_percentage_allocation"] = 0,
        });
        var feature = document["features"]!.AsArray().Select(f => f!.AsObject()).First(f => f["type"]!.GetValue<string>() == "STANDARD");
        feature["type"] = "MULTIVARIATE";
        feature["multivariate_options"] = new System.Text.Json.Nodes.JsonArray(options.ToArray());

        var validated = await host.ValidateAsync(project, document.ToJsonString());
        Assert.Contains("entity_too_large", validated.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("code").GetString()));

        var body = await Problem.ReadAsync(await host.PostImportAsync(project, document.ToJsonString()), HttpStatusCode.BadRequest, "invalid_document");
        Assert.Equal("entity_too_large", body.GetProperty("errors")[0].GetProperty("code").GetString());
        Assert.Empty((await host.Http.GetFromJsonAsync<JsonElement>($"/api/projects/{project}/project-imports")).GetProperty("results").EnumerateArray());
    }

    [Fact]
    public async Task A_flood_of_problems_is_capped_with_a_last_issue_saying_so()
    {
        var project = await host.CreateEmptyProjectAsync();
        var document = ImportDocuments.Parse();
        document["features"] = new System.Text.Json.Nodes.JsonArray(Enumerable.Range(0, 50_000).Select(_ => (System.Text.Json.Nodes.JsonNode?)1).ToArray());

        var result = await host.ValidateAsync(project, document.ToJsonString());

        var errors = result.GetProperty("errors").EnumerateArray().ToList();
        Assert.Equal(ProjectExports.Imports.ImportIssueList.MaxIssues + 1, errors.Count);
        Assert.Equal("too_many_issues", errors[^1].GetProperty("code").GetString());
    }

    [Fact]
    public async Task The_valid_document_matches_the_schema_and_validates_clean()
    {
        var schema = await JsonSchema.FromFileAsync(RepositoryPaths.Schema);
        Assert.Empty(schema.Validate(ImportDocuments.Valid));
        var project = await host.CreateEmptyProjectAsync();

        var result = await host.ValidateAsync(project, ImportDocuments.Valid);

        Assert.Empty(result.GetProperty("errors").EnumerateArray());
        var summary = ImportClient.Summary(result);
        Assert.Equal(2, summary["features_created"]);
        Assert.Equal(1, summary["environments_created"]);
        Assert.Equal(1, summary["identity_overrides_created"]);
        Assert.Contains(result.GetProperty("warnings").EnumerateArray(), w => w.GetProperty("code").GetString() == "will_create" && w.GetProperty("path").GetString() == "/environments/0");
    }

    [Theory]
    [MemberData(nameof(Broken))]
    public async Task Each_broken_document_is_reported_with_its_code_and_path(string pointer, string value, string code, string path)
    {
        var project = await host.CreateEmptyProjectAsync();

        var result = await host.ValidateAsync(project, ImportDocuments.With(pointer, value));

        var errors = result.GetProperty("errors").EnumerateArray().Select(e => (e.GetProperty("code").GetString(), e.GetProperty("path").GetString())).ToList();
        Assert.Contains((code, path), errors);
        Assert.Equal(JsonValueKind.Null, result.GetProperty("result_summary").ValueKind);
    }

    [Fact]
    public async Task Every_problem_is_reported_at_once_and_a_bad_create_stores_nothing()
    {
        var project = await host.CreateEmptyProjectAsync();
        var document = ImportDocuments.Parse();
        document["version"] = 3;
        document["features"]![1]!["name"] = "checkout";
        document["environments"]![0]!["feature_segments"]![0]!["segment"] = "ghost";

        using var response = await host.PostImportAsync(project, document.ToJsonString());

        var problem = await Problem.ReadAsync(response, HttpStatusCode.BadRequest, "invalid_document");
        var codes = problem.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("code").GetString()).ToList();
        Assert.Contains("unsupported_version", codes);
        Assert.Contains("duplicate_name", codes);
        Assert.Contains("unknown_reference", codes);
        Assert.All(problem.GetProperty("errors").EnumerateArray(), e => Assert.False(string.IsNullOrEmpty(e.GetProperty("message").GetString())));
        var list = await host.Http.GetFromJsonAsync<JsonElement>($"/api/projects/{project}/project-imports");
        Assert.Empty(list.GetProperty("results").EnumerateArray());
        var blobs = host.Storage.Blobs.GetBlobContainerClient(ProjectExports.Storage.StorageNames.ImportContainer)
            .GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, project + "/", CancellationToken.None);
        await foreach (var _ in blobs) Assert.Fail("a refused document was stored");
    }

    [Theory]
    [InlineData("{\"version\": 1,", "invalid_json")]
    [InlineData("[]", "wrong_type")]
    public async Task Unreadable_documents_are_refused_at_the_root(string document, string code)
    {
        var project = await host.CreateEmptyProjectAsync();

        var problem = await Problem.ReadAsync(await host.PostImportAsync(project, document), HttpStatusCode.BadRequest, "invalid_document");

        var error = Assert.Single(problem.GetProperty("errors").EnumerateArray());
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.Equal("", error.GetProperty("path").GetString());
    }

    [Fact]
    public async Task Unknown_and_excluded_properties_are_warnings_and_property_is_read_as_property_()
    {
        var project = await host.CreateEmptyProjectAsync();
        var document = ImportDocuments.Parse();
        document["features"]![0]!["colour"] = "blue";
        document["features"]![0]!["id"] = "f-from-elsewhere";
        var condition = document["segments"]![0]!["rules"]![0]!["rules"]![0]!["conditions"]![0]!.AsObject();
        condition.Remove("property_");
        condition["property"] = "plan";

        var result = await host.ValidateAsync(project, document.ToJsonString());

        Assert.Empty(result.GetProperty("errors").EnumerateArray());
        var warnings = result.GetProperty("warnings").EnumerateArray().Select(w => (w.GetProperty("code").GetString(), w.GetProperty("path").GetString())).ToList();
        Assert.Contains(("unknown_property", "/features/0/colour"), warnings);
        Assert.Contains(("ignored_property", "/features/0/id"), warnings);

        var import = await host.ImportAndWaitAsync(project, document.ToJsonString());
        Assert.Equal("SUCCESS", import.GetProperty("status").GetString());
        var exported = ImportClient.Parse(await host.ExportDocumentAsync(project));
        Assert.Equal("plan", (string?)exported["segments"]![0]!["rules"]![0]!["rules"]![0]!["conditions"]![0]!["property_"]);
    }

    [Fact]
    public async Task Property_names_written_with_escapes_are_checked_as_the_names_they_spell()
    {
        var project = await host.CreateEmptyProjectAsync();
        var document = ImportDocuments.Parse();
        document["features"]![0]!["default_enabled"] = "yes";
        document["features"]![0]!["id"] = "f-from-elsewhere";
        var json = document.ToJsonString();
        var escaped = ReplaceFirst(ReplaceFirst(json, "\"default_enabled\":\"yes\"", "\"default\\u005fenabled\":\"yes\""), "\"id\":\"f-from-elsewhere\"", "\"\\u0069d\":\"f-from-elsewhere\"");
        Assert.NotEqual(json, escaped);

        var result = await host.ValidateAsync(project, escaped);

        var errors = result.GetProperty("errors").EnumerateArray().Select(e => (e.GetProperty("code").GetString(), e.GetProperty("path").GetString())).ToList();
        Assert.Equal([("wrong_type", "/features/0/default_enabled")], errors);
        var warnings = result.GetProperty("warnings").EnumerateArray().Select(w => (w.GetProperty("code").GetString(), w.GetProperty("path").GetString())).ToList();
        Assert.Contains(("ignored_property", "/features/0/id"), warnings);

        static string ReplaceFirst(string text, string from, string to)
        {
            var at = text.IndexOf(from, StringComparison.Ordinal);
            return at < 0 ? text : string.Concat(text.AsSpan(0, at), to, text.AsSpan(at + from.Length));
        }
    }

    [Theory]
    [InlineData("sometimes")]
    [InlineData("")]
    public async Task Unknown_strategies_are_refused(string strategy)
    {
        var project = await host.CreateEmptyProjectAsync();

        await Problem.ReadAsync(await host.PostImportAsync(project, ImportDocuments.Valid, strategy), HttpStatusCode.BadRequest, "invalid_strategy");
        await Problem.ReadAsync(await host.PostImportAsync(project, ImportDocuments.Valid, strategy, "/validate"), HttpStatusCode.BadRequest, "invalid_strategy");
    }
}
