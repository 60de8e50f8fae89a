using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ProjectExports.Security;
using ProjectExports.Tests.Infrastructure;

namespace ProjectExports.Tests.Security;

/// <summary>The explicit-JWKS configuration (air-gapped installs), the clock skew and the disabled state, without any network.</summary>
public sealed class BearerTokenValidatorTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);
    private TestIdentityProvider _identity = null!;

    public async Task InitializeAsync() => _identity = await TestIdentityProvider.StartAsync();

    public async Task DisposeAsync() => await _identity.DisposeAsync();

    private BearerTokenValidator WithJwks(TimeSpan? skew = null) => new(Options.Create(new AuthOptions
    {
        Jwks = _identity.Jwks,
        Issuer = _identity.Issuer,
        Audience = "api://other, " + TestIdentityProvider.Audience,
        ClockSkew = skew ?? TimeSpan.FromMinutes(2),
    }), new FakeTimeProvider(Now));

    [Fact]
    public async Task A_token_signed_by_a_key_in_the_configured_set_is_accepted_with_its_user_and_role()
    {
        var result = await WithJwks().ValidateAsync(_identity.Mint(Now, "u-1", roles: ["other", TestIdentityProvider.AdminRole]), CancellationToken.None);
        Assert.Null(result.Failure);
        Assert.Equal("u-1", result.UserId);
        Assert.True(result.AllProjects);
    }

    [Theory]
    [InlineData(-61, false)]  // expired 1 s beyond a 60 s skew
    [InlineData(-59, true)]   // expired, but within the skew
    public async Task Expiry_is_judged_by_the_app_clock_with_the_configured_skew(int expiredSecondsAgo, bool accepted)
    {
        var token = _identity.Mint(Now - TimeSpan.FromHours(1), "u-1", lifetime: TimeSpan.FromHours(1) + TimeSpan.FromSeconds(expiredSecondsAgo));
        var result = await WithJwks(TimeSpan.FromSeconds(60)).ValidateAsync(token, CancellationToken.None);
        Assert.Equal(accepted, result.Failure is null);
    }

    [Fact]
    public async Task A_token_without_a_user_claim_is_refused()
    {
        var result = await WithJwks().ValidateAsync(_identity.Mint(Now, userId: null), CancellationToken.None);
        Assert.Contains("'oid'", result.Failure);
    }

    [Fact]
    public async Task Without_an_authority_or_key_set_bearer_tokens_are_refused_with_a_pointer_to_API_keys()
    {
        var validator = new BearerTokenValidator(Options.Create(new AuthOptions()), TimeProvider.System);
        Assert.False(validator.IsEnabled);
        var result = await validator.ValidateAsync(_identity.Mint(DateTimeOffset.UtcNow), CancellationToken.None);
        Assert.Contains("API key", result.Failure);
    }
}
