using System.Text;
using ProjectExports.Imports;

namespace ProjectExports.Tests.Imports;

/// <summary>A document is read as JSON only when it is one JSON value, within the nesting limit, with no property given twice in an object.</summary>
public sealed class JsonSyntaxTests
{
    private static ImportIssue? Error(string json) =>
        ImportDocumentParser.Parse(new ImportUpload(Encoding.UTF8.GetBytes(json), IsYaml: false, FormStrategy: null)).Error;

    [Theory]
    [InlineData("""{"version":1,"selection":{"a":1,"a":2}}""", "'a'")] // in a part nothing reads
    [InlineData("""{"a":{"b":1},"a":2}""", "'a'")] // after an object nested in between
    [InlineData("""{"a":1,"\u0061":2}""", "'a'")] // the same name, written with an escape
    [InlineData("""[{"x":1},{"y":[{"z":1,"z":1}]}]""", "'z'")]
    public void A_property_given_twice_in_one_object_is_refused_wherever_it_is(string json, string name)
    {
        var error = Error(json);

        Assert.Equal(ImportIssueCodes.InvalidJson, error?.Code);
        Assert.Contains(name, error!.Message, StringComparison.Ordinal);
        Assert.Contains("LineNumber: 0 | BytePositionInLine:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_name_repeated_among_many_properties_is_found()
    {
        var names = Enumerable.Range(0, 40).Select(i => $"\"p{i}\":{i}").Append("\"p33\":0");

        Assert.Equal(ImportIssueCodes.InvalidJson, Error($"{{{string.Join(',', names)}}}")?.Code);
        Assert.Null(Error($"{{{string.Join(',', names.SkipLast(1))}}}"));
    }

    [Theory]
    [InlineData("""[{"a":1},{"a":2}]""")] // sibling objects
    [InlineData("""{"a":{"a":{"a":1}},"b":{"a":1}}""")] // nested and later objects
    [InlineData("""{"a":1,"A":2,"a ":3}""")]
    public void The_same_name_in_different_objects_is_not_a_duplicate(string json) => Assert.Null(Error(json));

    [Theory]
    [InlineData("")]
    [InlineData("{} x")]
    [InlineData("{\"a\":1,}")]
    [InlineData("{\"a\":1 // note\n}")]
    [InlineData("{\"a\":tru}")]
    public void Text_that_is_not_one_json_value_is_refused(string json) =>
        Assert.Equal(ImportIssueCodes.InvalidJson, Error(json)?.Code);

    [Fact]
    public void Nesting_is_refused_past_the_limit_and_read_up_to_it()
    {
        static string Nested(int depth) => string.Concat(Enumerable.Repeat("[", depth)) + string.Concat(Enumerable.Repeat("]", depth));

        Assert.Null(Error(Nested(ImportDocumentParser.MaxDepth)));
        Assert.Equal(ImportIssueCodes.InvalidJson, Error(Nested(ImportDocumentParser.MaxDepth + 1))?.Code);
    }
}
