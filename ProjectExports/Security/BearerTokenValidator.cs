using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace ProjectExports.Security;

/// <summary>
/// Validates JWT access tokens with Microsoft.IdentityModel: signature (keys from the authority's cached OIDC
/// metadata, or an explicit JWKS), issuer, audience, expiry and not-before with a small clock skew. The user id
/// is the <c>oid</c> claim (Entra ID's stable object id), else <c>sub</c>.
/// </summary>
public sealed class BearerTokenValidator
{
    // Asymmetric algorithms only: a symmetric or "none" token must never validate against a public key set.
    private static readonly string[] Algorithms =
    [
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
    ];

    private readonly JsonWebTokenHandler _handler = new();
    private readonly TokenValidationParameters? _parameters;
    private readonly string? _adminRole;

    public BearerTokenValidator(IOptions<AuthOptions> options, TimeProvider time)
    {
        var settings = options.Value;
        _adminRole = string.IsNullOrWhiteSpace(settings.AdminRole) ? null : settings.AdminRole;
        if (!settings.BearerEnabled)
        {
            return;
        }
        _parameters = new TokenValidationParameters
        {
            ValidAudiences = settings.Audiences,
            ValidateAudience = true,
            ValidateIssuer = true,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ValidateIssuerSigningKey = true,
            ValidAlgorithms = Algorithms,
            ClockSkew = settings.ClockSkew,
            RoleClaimType = "roles",
            // Expiry and not-before follow the app's clock, like everything else that depends on time
            // (the library's own TimeProvider setting is not public).
            LifetimeValidator = (notBefore, expires, _, parameters) => CheckLifetime(notBefore, expires, parameters.ClockSkew, time.GetUtcNow().UtcDateTime),
        };
        if (!string.IsNullOrWhiteSpace(settings.Issuer))
        {
            _parameters.ValidIssuer = settings.Issuer;
        }
        if (!string.IsNullOrWhiteSpace(settings.Jwks))
        {
            _parameters.IssuerSigningKeys = new JsonWebKeySet(settings.Jwks).GetSigningKeys();
        }
        else
        {
            // A setting left empty (as in local.settings.sample.json) means "not set", like every other Auth setting.
            var metadata = string.IsNullOrWhiteSpace(settings.MetadataAddress)
                ? settings.Authority!.TrimEnd('/') + "/.well-known/openid-configuration"
                : settings.MetadataAddress;
            // The manager caches the metadata and keys, and refreshes them when a token names an unknown key.
            _parameters.ConfigurationManager = new ConfigurationManager<OpenIdConnectConfiguration>(
                metadata, new OpenIdConnectConfigurationRetriever(), new HttpDocumentRetriever { RequireHttps = settings.RequireHttpsMetadata });
        }
    }

    public bool IsEnabled => _parameters is not null;

    public async Task<BearerTokenResult> ValidateAsync(string token, CancellationToken cancellationToken)
    {
        if (_parameters is null)
        {
            return Fail("Bearer tokens are not accepted by this installation (no Auth:Authority or Auth:Jwks is configured); use an API key.");
        }
        cancellationToken.ThrowIfCancellationRequested();
        var result = await _handler.ValidateTokenAsync(token, _parameters).ConfigureAwait(false);
        if (!result.IsValid)
        {
            return Fail(Describe(result.Exception));
        }
        var identity = result.ClaimsIdentity;
        var userId = identity.FindFirst("oid")?.Value ?? identity.FindFirst("sub")?.Value;
        if (string.IsNullOrEmpty(userId))
        {
            return Fail("The token names no user: it has neither an 'oid' nor a 'sub' claim.");
        }
        var admin = _adminRole is not null && identity.FindAll("roles").Concat(identity.FindAll("role")).Any(c => c.Value == _adminRole);
        return new BearerTokenResult(userId, admin, null);
    }

    private static bool CheckLifetime(DateTime? notBefore, DateTime? expires, TimeSpan skew, DateTime now)
    {
        if (expires is null) throw new SecurityTokenNoExpirationException("The token has no expiry.");
        if (notBefore > now + skew) throw new SecurityTokenNotYetValidException("The token is not valid yet.");
        if (expires < now - skew) throw new SecurityTokenExpiredException("The token has expired.");
        return true;
    }

    private static BearerTokenResult Fail(string reason) => new(null, false, reason);

    // Our own words, never the library's message: those may quote parts of the token.
    private static string Describe(Exception? exception) => exception switch
    {
        SecurityTokenExpiredException => "The token has expired.",
        SecurityTokenNotYetValidException => "The token is not valid yet (its 'nbf' is in the future).",
        SecurityTokenInvalidAudienceException => "The token was not issued for this API (wrong audience).",
        SecurityTokenInvalidIssuerException => "The token was not issued by a trusted issuer.",
        SecurityTokenInvalidSignatureException or SecurityTokenSignatureKeyNotFoundException => "The token's signature is not valid.",
        SecurityTokenInvalidAlgorithmException => "The token is signed with an algorithm this API does not accept.",
        SecurityTokenNoExpirationException => "The token has no expiry.",
        SecurityTokenMalformedException or ArgumentException => "The token is not a well-formed JWT.",
        InvalidOperationException => "The identity provider's metadata could not be read; try again later.",
        _ => "The token is not valid.",
    };
}
