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
