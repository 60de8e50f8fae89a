namespace ProjectExports.Projects;

/// <summary>What one read of the project's own partition returns: everything but per-environment data.</summary>
public sealed record ProjectDefinitions(
    Project Project,
    IReadOnlyList<Tag> Tags,
    IReadOnlyList<Segment> Segments,
    IReadOnlyList<Feature> Features,
    IReadOnlyList<ProjectEnvironment> Environments);
