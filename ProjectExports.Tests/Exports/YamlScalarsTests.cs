using System.Text;
using System.Text.Json;
using ProjectExports.Exports;
using ProjectExports.Imports;
using YamlDotNet.Core;

namespace ProjectExports.Tests.Exports;

/// <summary>The quoting rule of YAML exports, and JSON turned into YAML piece by piece reading back as the same JSON.</summary>
public sealed class YamlScalarsTests
{
    [Theory]
    [InlineData("checkout_v2")]
    [InlineData("Production")]
    [InlineData("plain text with spaces")]
    [InlineData("user-42@example.com")]
    [InlineData("a.b/c-d")]
    [InlineData("_underscore")]
    [InlineData("nullable")]
    [InlineData("yesterday")]
    public void Obvious_text_is_plain(string value) => Assert.Equal(ScalarStyle.Plain, YamlScalars.StyleOf(value));

    [Theory]
    [InlineData("yes")] [InlineData("No")] [InlineData("ON")] [InlineData("off")] [InlineData("y")] [InlineData("N")]
    [InlineData("true")] [InlineData("False")] [InlineData("null")] [InlineData("NULL")] [InlineData("~")] [InlineData("")]
    [InlineData("0123")] [InlineData("1e3")] [InlineData("1E+20")] [InlineData("-1")] [InlineData(".5")] [InlineData(".inf")]
    [InlineData("0x1F")] [InlineData("1_000")] [InlineData("2026-11-22")] [InlineData("12:30")]
    [InlineData(" leading")] [InlineData("trailing ")] [InlineData("- x")] [InlineData("a: b")] [InlineData("a #b")] [InlineData("#")]
    [InlineData("multi\nline")] [InlineData("line\n")] [InlineData("tab\tin")] [InlineData("bell\u0007")] [InlineData("\ufeffbom")]
    [InlineData("@at")] [InlineData("*star")] [InlineData("&anchor")] [InlineData("!tag")] [InlineData("[flow]")] [InlineData("{map}")]
    [InlineData("a, b")] [InlineData("'single'")] [InlineData("\"double\"")] [InlineData("ünïcödé")] [InlineData("---")]
    public void Anything_a_reader_could_take_for_something_else_is_double_quoted(string value) =>
        Assert.Equal(ScalarStyle.DoubleQuoted, YamlScalars.StyleOf(value));

    public static TheoryData<string> Hostile() => [.. HostileText.Values];

    [Theory]
    [MemberData(nameof(Hostile))]
    public async Task Every_hostile_string_reads_back_as_the_same_string_as_key_and_as_value(string value)
    {
        var json = JsonSerializer.Serialize(new Dictionary<string, string> { [value] = value });
        var yaml = await ToYamlAsync(Encoding.UTF8.GetBytes(json), pieceBytes: int.MaxValue);

        var (parsed, error) = ImportDocumentParser.Parse(new ImportUpload(yaml, IsYaml: true, FormStrategy: null));

        Assert.Null(error);
        var property = Assert.Single(System.Text.Json.Nodes.JsonNode.Parse(parsed!)!.AsObject());
        Assert.Equal(value, property.Key);
        Assert.Equal(JsonValueKind.String, property.Value!.GetValueKind());
        Assert.Equal(value, property.Value.GetValue<string>());
    }

    [Fact]
    public async Task Numbers_keep_the_text_json_wrote_and_other_values_their_kind()
    {
        const string json = """{"a":30.0,"b":9223372036854775807,"c":-1.5E-07,"d":1E+20,"e":0,"f":true,"g":false,"h":null,"i":[],"j":{},"k":[1,{"x":"1"}]}""";

        var yaml = Encoding.UTF8.GetString(await ToYamlAsync(Encoding.UTF8.GetBytes(json), int.MaxValue));

        Assert.Equal("a: 30.0\nb: 9223372036854775807\nc: -1.5E-07\nd: 1E+20\ne: 0\nf: true\ng: false\nh: null\ni: []\nj: {}\nk:\n- 1\n- x: \"1\"\n", yaml);
    }

    [Fact]
    public async Task Pieces_cut_anywhere_give_the_same_yaml_as_the_whole()
    {
        var json = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
        {
            version = 1,
            names = HostileText.Values,
            nested = new[] { new { n = 12345.678, s = "ünïcödé 😀", t = (string?)null } },
        }));
        var whole = await ToYamlAsync(json, int.MaxValue);

        for (var piece = 1; piece <= 7; piece++)
        {
            Assert.Equal(whole, await ToYamlAsync(json, piece));
        }
    }

    private static async Task<byte[]> ToYamlAsync(byte[] json, int pieceBytes)
    {
        var output = new MemoryStream();
        await using (var yaml = new YamlFromJsonStream(output))
        {
            for (var offset = 0; offset < json.Length; offset += pieceBytes)
            {
                await yaml.WriteAsync(json.AsMemory(offset, Math.Min(pieceBytes, json.Length - offset)));
            }
        }
        return output.ToArray();
    }
}
