namespace ProjectExports.Projects;

/// <summary>
/// A set of writes to one project that only touches what it names: entities to insert or replace, and segment
/// and identity overrides to delete. Every write is an upsert or a delete by key, so applying the same changes
/// again (a retried import) ends in the same state.
/// </summary>
public sealed class ProjectChanges
{
    public string ProjectId { get; set; } = "";
    public List<Tag> Tags { get; set; } = [];
    public List<Segment> Segments { get; set; } = [];
    public List<Feature> Features { get; set; } = [];
    public List<EnvironmentChanges> Environments { get; set; } = [];
}

public sealed class EnvironmentChanges
{
    public string EnvironmentId { get; set; } = "";
    /// <summary>The environment's settings to write, or null to leave them as they are.</summary>
    public ProjectEnvironment? Settings { get; set; }
    public List<FeatureState> FeatureStates { get; set; } = [];
    public List<FeatureSegment> FeatureSegments { get; set; } = [];
    public List<IdentityOverride> IdentityOverrides { get; set; } = [];
    /// <summary>Ids of segment overrides to delete.</summary>
    public List<string> DeletedFeatureSegments { get; set; } = [];
    /// <summary>Identity overrides to delete, by identifier and feature id.</summary>
    public List<IdentityOverrideKey> DeletedIdentityOverrides { get; set; } = [];
}

public sealed record IdentityOverrideKey(string Identifier, string Feature);
