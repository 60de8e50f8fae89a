using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ProjectExports.Http;
using ProjectExports.Tests.Imports;
using ProjectExports.Tests.Infrastructure;

namespace ProjectExports.Tests.Http;

/// <summary>JSON answers read as the caller wrote and would read them: fields in JSON's terms, apostrophes as apostrophes.</summary>
public sealed class JsonAnswersTests(LocalHostFixture host) : IClassFixture<LocalHostFixture>
{
    [Theory]
    [InlineData("{\"include_tagz\": true}", "'include_tagz' is not a field")]
    [InlineData("{\"Include_Tags\": true}", "'Include_Tags' is not a field")]
    [InlineData("{\"include_tags\": \"yes\"}", "'include_tags' must be true or false")]
    [InlineData("{\"include_identity_overrides\": null}", "'include_identity_overrides' must be true or false")]
    public async Task A_bad_field_in_a_create_body_is_named_with_the_fields_there_are_and_no_NET_type(string body, string expected)
    {
        var project = await host.SeedProjectAsync();

        var problem = await Problem.ReadAsync(await host.Http.PostAsync($"/api/projects/{project.Project.Id}/project-exports",
            new StringContent(body, Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest, "invalid_body");

        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains(expected, detail, StringComparison.Ordinal);
        if (expected.EndsWith("is not a field", StringComparison.Ordinal))
        {
            Assert.Contains("'include_identity_overrides', 'include_tags'", detail, StringComparison.Ordinal);
        }
        Assert.DoesNotContain("System.", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("ProjectExports", detail, StringComparison.Ordinal);
        Assert.DoesNotContain(".NET", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_and_problem_answers_write_apostrophes_and_non_ASCII_as_themselves()
    {
        var project = await host.CreateEmptyProjectAsync();

        var document = ImportDocuments.Parse();
        var feature = document["features"]![1]!.DeepClone();
        feature["name"] = "l'été";
        document["features"]!.AsArray().Add(feature);
        using var validated = await host.PostImportAsync(project, document.ToJsonString(), suffix: "/validate");
        using var problem = await host.Http.GetAsync("/api/projects/no-such-project/project-exports");

        var validateText = await validated.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, validated.StatusCode);
        Assert.Contains("Feature 'l'été' does not exist", validateText, StringComparison.Ordinal);
        var problemText = await problem.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.NotFound, problem.StatusCode);
        Assert.Contains("There is no project 'no-such-project'", problemText, StringComparison.Ordinal);
        foreach (var text in new[] { validateText, problemText })
        {
            Assert.DoesNotContain("\\u0027", text, StringComparison.Ordinal);
            Assert.DoesNotContain("\\u00E9", text, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void Every_JSON_answer_is_written_with_one_encoder()
    {
        // Problem bodies are written with ASP.NET Core's JSON options; everything else with ApiJsonContext.Wire.
        Assert.Same(new Microsoft.AspNetCore.Http.Json.JsonOptions().SerializerOptions.Encoder, ApiJsonContext.Wire.Options.Encoder);
        var sources = new[] { "ProjectExports", "ProjectExports.Functions", "ProjectExports.LocalHost" }
            .SelectMany(project => Directory.EnumerateFiles(Path.Combine(RepositoryPaths.Root, project), "*.cs", SearchOption.AllDirectories))
            .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal));
        // The generated Default cannot carry the encoder (see ApiJsonContext.Wire).
        Assert.DoesNotContain(sources, file => File.ReadAllText(file).Contains("ApiJsonContext.Default", StringComparison.Ordinal));
    }
}
