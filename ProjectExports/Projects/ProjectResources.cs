namespace ProjectExports.Projects;

/// <summary>Body of PUT /projects/{projectId}: the new project's name.</summary>
public sealed record CreateProjectRequest
{
    public required string Name { get; set; }
}

/// <summary>How many of each kind of entity the project holds (archived features included).</summary>
public sealed record ProjectCounts(int Features, int Segments, int Environments);

/// <summary>
/// One project as GET and PUT /projects/{projectId} answer. <see cref="CreatedAt"/> is null only for a project saved
/// before projects were listed in the <see cref="ProjectDirectory"/>.
/// </summary>
public sealed record ProjectDetails(string Id, string Name, DateTimeOffset? CreatedAt, ProjectCounts Counts);
