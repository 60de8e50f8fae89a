namespace ProjectExports.Projects;

/// <summary>Names one identity override: the identity and the feature id it overrides.</summary>
public sealed record IdentityOverrideKey(string Identifier, string Feature);
