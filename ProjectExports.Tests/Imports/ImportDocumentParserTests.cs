using System.Text;
using System.Text.Json;
using ProjectExports.Imports;

namespace ProjectExports.Tests.Imports;

/// <summary>YAML is read by the YAML 1.2 core schema: quoted and !!str scalars stay strings, plain ones resolve.</summary>
public sealed class ImportDocumentParserTests
{
    private static (System.Text.Json.Nodes.JsonNode? Root, ImportIssue? Error) Yaml(string text)
    {
        var (json, error) = ImportDocumentParser.Parse(new ImportUpload(Encoding.UTF8.GetBytes(text), IsYaml: true, FormStrategy: null));
        return (json is null ? null : System.Text.Json.Nodes.JsonNode.Parse(json), error);
    }

    [Theory]
    [InlineData("a: 1", JsonValueKind.Number, "1")]
    [InlineData("a: -2.5", JsonValueKind.Number, "-2.5")]
    [InlineData("a: 1.0", JsonValueKind.Number, "1.0")] // a float stays one: no more a whole number than 1.0 in JSON
    [InlineData("a: \"1\"", JsonValueKind.String, "\"1\"")]
    [InlineData("a: !!str 12", JsonValueKind.String, "\"12\"")]
    [InlineData("a: true", JsonValueKind.True, "true")]
    [InlineData("a: 'true'", JsonValueKind.String, "\"true\"")]
    [InlineData("a: ~", JsonValueKind.Null, "null")]
    [InlineData("a:", JsonValueKind.Null, "null")]
    [InlineData("a: user-42", JsonValueKind.String, "\"user-42\"")]
    public void Scalars_resolve_like_json(string yaml, JsonValueKind kind, string json)
    {
        var (root, error) = Yaml(yaml);

        Assert.Null(error);
        var value = root!["a"];
        Assert.Equal(kind, value?.GetValueKind() ?? JsonValueKind.Null);
        Assert.Equal(json, value?.ToJsonString() ?? "null");
    }

    [Theory]
    [InlineData("a: 1\na: 2")]
    [InlineData("a: 1\n---\nb: 2")]
    [InlineData("a: [1, 2")]
    [InlineData("? [x]\n: 1")]
    public void Broken_yaml_is_one_error_at_the_root(string yaml)
    {
        var (root, error) = Yaml(yaml);

        Assert.Null(root);
        Assert.Equal(ImportIssueCodes.InvalidYaml, error!.Code);
        Assert.Equal("", error.Path);
    }

    public static TheoryData<string> HostileYaml() => new()
    {
        "version: 1\nx: " + new string('[', 200_000) + new string(']', 200_000),   // would overflow the loader's stack
        "version: 1\nx: " + string.Concat(Enumerable.Repeat("{a: ", 65)) + "1" + new string('}', 65),
        "version: 1\nx: &a [*a]",                                                 // an alias inside itself
        "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]",
    };

    [Theory]
    [MemberData(nameof(HostileYaml))]
    public void Deep_nesting_and_aliases_are_refused_before_anything_is_built(string yaml)
    {
        var (root, error) = Yaml(yaml);

        Assert.Null(root);
        Assert.Equal(ImportIssueCodes.InvalidYaml, error!.Code);
    }

    [Fact]
    public void Nesting_up_to_the_json_limit_is_read()
    {
        var (root, error) = Yaml("x: " + string.Concat(Enumerable.Repeat("{a: ", 62)) + "1" + new string('}', 62));

        Assert.Null(error);
        Assert.NotNull(root);
    }

    [Fact]
    public void A_number_beyond_double_range_stays_text_so_the_checks_report_it()
    {
        var (root, error) = Yaml("a: 1e400");

        Assert.Null(error);
        Assert.Equal("\"1e400\"", root!["a"]!.ToJsonString());
    }

    [Fact]
    public void Duplicate_json_keys_are_refused()
    {
        var (_, error) = ImportDocumentParser.Parse(new ImportUpload(Encoding.UTF8.GetBytes("{\"version\": 1, \"version\": 2}"), IsYaml: false, FormStrategy: null));

        Assert.Equal(ImportIssueCodes.InvalidJson, error!.Code);
    }
}
