using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ProjectExports.Tests.Infrastructure;

/// <summary>
/// A real OpenID Connect issuer on loopback: serves its discovery document and a JWKS holding a locally
/// generated RSA key, and mints tokens with it. The app under test is configured with this Authority, so token
/// validation goes through the same metadata retrieval and caching as against Entra ID.
/// </summary>
public sealed class TestIdentityProvider : IAsyncDisposable
{
    public const string Audience = "api://project-exports-tests";
    public const string AdminRole = "ProjectExports.Admin";

    private readonly WebApplication _app;
    private readonly RsaSecurityKey _key;
    private readonly RsaSecurityKey _forgedKey;

    private TestIdentityProvider(WebApplication app, RsaSecurityKey key, RsaSecurityKey forgedKey, string issuer)
    {
        _app = app;
        _key = key;
        _forgedKey = forgedKey;
        Issuer = issuer;
    }

    public string Issuer { get; }

    /// <summary>The public key set as JSON, for configuring Auth:Jwks without the discovery endpoint.</summary>
    public string Jwks { get; private init; } = "";

    public static async Task<TestIdentityProvider> StartAsync()
    {
        var key = new RsaSecurityKey(RSA.Create(2048)) { KeyId = "test-key-1" };
        // Same key id, different key: a token signed with it carries a signature the published key cannot verify.
        var forged = new RsaSecurityKey(RSA.Create(2048)) { KeyId = "test-key-1" };
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(key.Rsa.ExportParameters(false)) { KeyId = key.KeyId });
        string? issuer = null;
        app.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = issuer!,
            ["jwks_uri"] = issuer + "/keys",
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
        }));
        var jwks = System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["keys"] = new[] { new Dictionary<string, string> { ["kty"] = jwk.Kty, ["kid"] = jwk.Kid, ["use"] = "sig", ["alg"] = "RS256", ["n"] = jwk.N, ["e"] = jwk.E } },
        });
        app.MapGet("/keys", () => Results.Text(jwks, "application/json"));
        await app.StartAsync();
        issuer = app.ListeningAddress().ToString().TrimEnd('/');
        return new TestIdentityProvider(app, key, forged, issuer) { Jwks = jwks };
    }

    /// <summary>A signed access token; every parameter can be bent to make the token wrong in exactly one way.</summary>
    public string Mint(
        DateTimeOffset now, string? userId = "user-1", string[]? roles = null, string? audience = Audience, string? issuer = null,
        TimeSpan? lifetime = null, TimeSpan? notBeforeOffset = null, bool forgeSignature = false, string idClaim = "oid")
    {
        var claims = new Dictionary<string, object>();
        if (userId is not null) claims[idClaim] = userId;
        if (roles is not null) claims["roles"] = roles;
        var notBefore = now + (notBeforeOffset ?? TimeSpan.FromMinutes(-5));
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer ?? Issuer,
            Audience = audience,
            Claims = claims,
            IssuedAt = notBefore.UtcDateTime,
            NotBefore = notBefore.UtcDateTime,
            Expires = (now + (lifetime ?? TimeSpan.FromHours(1))).UtcDateTime,
            SigningCredentials = new SigningCredentials(forgeSignature ? _forgedKey : _key, SecurityAlgorithms.RsaSha256),
        };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
