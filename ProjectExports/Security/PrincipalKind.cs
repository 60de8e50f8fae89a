namespace ProjectExports.Security;

/// <summary>Who a grant names: a user (token <c>oid</c>/<c>sub</c>) or an API key (its id).</summary>
public enum PrincipalKind
{
    User,
    ApiKey,
}
