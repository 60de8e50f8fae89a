using ProjectExports.Exports;
using ProjectExports.Projects;
using ProjectExports.Storage;

namespace ProjectExports.Tests.Storage;

/// <summary>Table Storage's limits produce clear errors before anything is written, never corruption.</summary>
public sealed class StorageLimitTests
{
    [Theory]
    [InlineData("a/b", "'/'")]
    [InlineData("a\\b", "'\\'")]
    [InlineData("a#b", "'#'")]
    [InlineData("a?b", "'?'")]
    [InlineData("a\u0001b", "U+0001")]
    public void Forbidden_key_characters_are_named_in_the_error(string key, string named)
    {
        var error = Assert.Throws<StorageLimitException>(() => TableKeys.RequireKey(key, "The key"));
        Assert.Contains(named, error.Message);
    }

    [Fact]
    public void Over_long_keys_are_refused()
    {
        var error = Assert.Throws<StorageLimitException>(() => TableKeys.RequireKey(new string('a', 1025), "The key"));
        Assert.Contains("1024", error.Message);
    }

    [Fact]
    public void Entities_over_64_KiB_are_split_across_properties_and_read_back_whole()
    {
        var feature = new Feature { Id = "f1", Name = "big", Description = new string('x', 200_000) };
        var entity = JsonEntityCodec.ToEntity("p", "feature:f1", feature, ProjectJsonContext.Default.Feature, "feature 'big'");

        Assert.True(entity.ContainsKey("Data3"));
        Assert.All(entity.Keys.Where(k => k.StartsWith("Data", StringComparison.Ordinal)), k => Assert.True(entity.GetBinary(k)!.Length <= 64 * 1024));
        Assert.Equal(feature.Description, JsonEntityCodec.FromEntity(entity, ProjectJsonContext.Default.Feature).Description);
    }

    [Fact]
    public void Entities_over_the_entity_limit_fail_with_a_clear_error()
    {
        var feature = new Feature { Id = "f1", Name = "huge", Description = new string('x', 1_100_000) };
        var error = Assert.Throws<StorageLimitException>(() => JsonEntityCodec.ToEntity("p", "feature:f1", feature, ProjectJsonContext.Default.Feature, "feature 'huge'"));
        Assert.Contains("feature 'huge'", error.Message);
    }

    [Fact]
    public void Ordered_hex_keys_sort_like_the_export_order()
    {
        string[] identifiers = ["ab", "abc", "a", "Z", "é", "\uFFFD", "😀", "b\u0000"[..1], "user-10", "user-2"];
        var byKey = identifiers.OrderBy(i => TableKeys.OrderedHex(i) + "-f1", StringComparer.Ordinal).ToList();
        Assert.Equal(identifiers.Order(ExportOrder.Instance), byKey);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("a/b")]
    public void Invalid_entity_ids_are_refused(string id)
    {
        Assert.Throws<StorageLimitException>(() => TableKeys.RequireId(id, "Feature id"));
    }
}
