namespace ProjectExports.Projects;

/// <summary>One environment of a <see cref="ProjectSnapshot"/>: its settings and everything set per environment.</summary>
public sealed class EnvironmentSnapshot
{
    public ProjectEnvironment Environment { get; set; } = new();
    public List<FeatureState> FeatureStates { get; set; } = [];
    public List<FeatureSegment> FeatureSegments { get; set; } = [];
    public List<IdentityOverride> IdentityOverrides { get; set; } = [];
}
