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
