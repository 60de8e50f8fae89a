namespace ProjectExports.Security;

/// <summary>An authenticated caller and whether it is admin of every project (the app role, or an all-projects key).</summary>
public sealed record AuthenticatedCaller(Caller Caller, bool AllProjects)
{
    public PrincipalKind Kind => Caller.UserId is not null ? PrincipalKind.User : PrincipalKind.ApiKey;

    public string PrincipalId => Caller.UserId ?? Caller.ApiKeyId!;
}
