namespace ProjectExports.Security;

/// <summary>
/// Section <c>Auth</c> (app settings <c>Auth__…</c>): how bearer tokens are validated and which app role makes a
/// token holder admin of every project. With neither <see cref="Authority"/> nor <see cref="Jwks"/> set, bearer
/// tokens are refused and only API keys work (the local default).
/// </summary>
public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    /// <summary>OpenID Connect authority, e.g. <c>https://login.microsoftonline.com/{tenant}/v2.0</c>; its metadata is fetched and cached.</summary>
    public string? Authority { get; set; }

    /// <summary>Metadata document address, when it is not <c>{Authority}/.well-known/openid-configuration</c>.</summary>
    public string? MetadataAddress { get; set; }

    /// <summary>Accepted audiences (the API's App ID URI and/or client id), separated by commas.</summary>
    public string? Audience { get; set; }

    /// <summary>Accepted issuer; required with <see cref="Jwks"/>, otherwise taken from the metadata.</summary>
    public string? Issuer { get; set; }

    /// <summary>An explicit JSON Web Key Set (JSON text) for installations that cannot reach the authority.</summary>
    public string? Jwks { get; set; }

    /// <summary>Refuse metadata over plain HTTP. Only a local test identity provider should turn this off.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>App role (token <c>roles</c> claim) that makes the holder admin of every project; empty disables it.</summary>
    public string? AdminRole { get; set; } = "ProjectExports.Admin";

    /// <summary>Tolerance for clock differences when checking expiry and not-before.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How long an instance trusts an API key it has verified before reading it again; a key revoked from the command
    /// line stops working within this time. Zero reads the key on every call.
    /// </summary>
    public TimeSpan ApiKeyCacheDuration { get; set; } = TimeSpan.FromSeconds(10);

    public bool BearerEnabled => !string.IsNullOrWhiteSpace(Authority) || !string.IsNullOrWhiteSpace(Jwks);

    public IReadOnlyList<string> Audiences =>
        (Audience ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
