namespace ProjectExports.Security;

/// <summary>An API key as stored and listed: never the key itself, only its hash (which is never listed either).</summary>
public sealed record ApiKeyInfo(
    string Id, string Name, bool AllProjects, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt)
{
    public bool IsRevoked => RevokedAt is not null;
}
