namespace ProjectExports.Security;

/// <summary>
/// Who made a request: a user (the token's <c>oid</c>, else <c>sub</c>) or an API key (its non-secret id).
/// Exactly one of the two is set; records and audit entries store them as <c>created_by</c> / <c>created_by_api_key</c>.
/// </summary>
public sealed record Caller(string? UserId, string? ApiKeyId)
{
    public static Caller User(string userId) => new(userId, null);

    public static Caller ApiKey(string keyId) => new(null, keyId);

    /// <summary>For logs: the principal's id with its kind, never a secret.</summary>
    public override string ToString() => UserId is not null ? $"user {UserId}" : $"api key {ApiKeyId}";
}
