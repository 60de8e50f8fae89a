namespace ProjectExports.Projects;

/// <summary>A whole project's configuration, as the write side takes it (demo data, tests, imports).</summary>
public sealed class ProjectSnapshot
{
    public Project Project { get; set; } = new();
    public List<Tag> Tags { get; set; } = [];
    public List<Segment> Segments { get; set; } = [];
    public List<Feature> Features { get; set; } = [];
    public List<EnvironmentSnapshot> Environments { get; set; } = [];
}

public sealed class EnvironmentSnapshot
{
    public ProjectEnvironment Environment { get; set; } = new();
    public List<FeatureState> FeatureStates { get; set; } = [];
    public List<FeatureSegment> FeatureSegments { get; set; } = [];
    public List<IdentityOverride> IdentityOverrides { get; set; } = [];
}

/// <summary>What one read of the project's own partition returns: everything but per-environment data.</summary>
public sealed record ProjectDefinitions(
    Project Project,
    IReadOnlyList<Tag> Tags,
    IReadOnlyList<Segment> Segments,
    IReadOnlyList<Feature> Features,
    IReadOnlyList<ProjectEnvironment> Environments);

/// <summary>One environment's feature states and segment overrides (identity overrides stream separately).</summary>
public sealed record EnvironmentStates(IReadOnlyList<FeatureState> FeatureStates, IReadOnlyList<FeatureSegment> FeatureSegments);
