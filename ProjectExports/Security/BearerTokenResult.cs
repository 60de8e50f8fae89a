namespace ProjectExports.Security;

/// <summary>The outcome of checking a bearer token: the user and whether the admin role makes them admin of every project, or why not.</summary>
public sealed record BearerTokenResult(string? UserId, bool AllProjects, string? Failure);
