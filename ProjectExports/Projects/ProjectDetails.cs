namespace ProjectExports.Projects;

/// <summary>
/// One project as GET and PUT /projects/{projectId} answer. <see cref="CreatedAt"/> is null only for a project saved
/// before projects were listed in the <see cref="ProjectDirectory"/>.
/// </summary>
public sealed record ProjectDetails(string Id, string Name, DateTimeOffset? CreatedAt, ProjectCounts Counts);
