namespace ProjectExports.Projects;

/// <summary>The writes of a <see cref="ProjectChanges"/> to one environment.</summary>
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

    /// <summary>Lets go of the data (states, overrides and deletes), keeping the id and settings: for a plan that has stored the data's rows.</summary>
    public void ReleaseData() =>
        (FeatureStates, FeatureSegments, IdentityOverrides, DeletedFeatureSegments, DeletedIdentityOverrides) = ([], [], [], [], []);
}
