namespace ProjectExports.Projects;

/// <summary>How many of each kind of entity the project holds (archived features included).</summary>
public sealed record ProjectCounts(int Features, int Segments, int Environments);
