using System.Text;
using ProjectExports.Http;
using ProjectExports.Imports;

namespace ProjectExports.Tests.Imports;

/// <summary>What a response repeats from its input: cut with a marker, and never cut into something unwritable.</summary>
public sealed class EchoTests
{
    [Fact]
    public void Long_text_is_cut_to_the_limit_with_a_marker_and_short_text_kept()
    {
        Assert.Equal("short", Echo.Cut("short", 10));
        var cut = Echo.Cut(new string('x', 50), 20);
        Assert.Equal(20, cut.Length);
        Assert.EndsWith(Echo.Marker, cut, StringComparison.Ordinal);
    }

    [Fact]
    public void A_cut_never_splits_a_surrogate_pair()
    {
        var emoji = string.Concat(Enumerable.Repeat("😀", 40)); // two UTF-16 units each
        for (var limit = Echo.Marker.Length + 2; limit < emoji.Length; limit++)
        {
            var cut = Echo.Cut(emoji, limit);
            Assert.True(UnicodeText.IsWellFormed(cut), $"cut at {limit}");
            Assert.True(cut.Length <= limit);
        }
        var issue = new ImportIssue("c", emoji + new string('m', 1000), "/" + emoji + new string('p', 1000));
        Assert.True(UnicodeText.IsWellFormed(issue.Message) && UnicodeText.IsWellFormed(issue.Path));
    }

    [Theory]
    [InlineData("""{"a": [1, {"b": "\ud800"}]}""", "/a/1/b")]
    [InlineData("""[[], ["ok", "x\udc00y"]]""", "/1/1")]
    [InlineData("""{"a~/b": {"\ud83d": 1}}""", "/a~0~1b/\\ud83d")]
    [InlineData("""{"pair": "\ud83d\ude00", "ok": "é"}""", null)]
    [InlineData("""{"broken": """, null)]
    public void The_first_string_or_name_that_is_not_Unicode_is_found_by_its_pointer(string json, string? pointer)
    {
        Assert.Equal(pointer, UnicodeText.FindInvalidJson(Encoding.UTF8.GetBytes(json)));
    }
}
