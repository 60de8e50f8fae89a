using ProjectExports.Security;

namespace ProjectExports.Tests.Security;

public sealed class ApiKeySecretTests
{
    [Fact]
    public void Generated_keys_parse_to_their_id_are_unique_and_match_only_their_own_hash()
    {
        var (id, key) = ApiKeySecret.Generate();
        var (_, other) = ApiKeySecret.Generate();
        Assert.True(ApiKeySecret.TryParse(key, out var parsed));
        Assert.Equal(id, parsed);
        Assert.NotEqual(key, other);
        Assert.True(ApiKeySecret.Matches(key, ApiKeySecret.Hash(key)));
        Assert.False(ApiKeySecret.Matches(other, ApiKeySecret.Hash(key)));
        Assert.False(ApiKeySecret.Matches(key[..^1] + (key[^1] == 'A' ? 'B' : 'A'), ApiKeySecret.Hash(key)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("pe_abcd")]
    [InlineData("pe_ab_0123456789012345678901234567890123456789")]        // id too short
    [InlineData("pe_ABCD_0123456789012345678901234567890123456789")]      // upper-case id
    [InlineData("pe_abcd_short")]                                         // secret too short
    [InlineData("xx_abcd_0123456789012345678901234567890123456789")]      // wrong prefix
    [InlineData("pe_abcd_01234567890123456789012345678901234567+/")]      // not base64url
    public void Anything_not_shaped_like_a_key_is_refused(string key) => Assert.False(ApiKeySecret.TryParse(key, out _));
}
