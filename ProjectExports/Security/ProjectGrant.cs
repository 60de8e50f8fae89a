namespace ProjectExports.Security;

/// <summary>One grant: the principal is admin of the project since <c>CreatedAt</c>.</summary>
public sealed record ProjectGrant(string ProjectId, PrincipalKind Kind, string PrincipalId, DateTimeOffset CreatedAt);
