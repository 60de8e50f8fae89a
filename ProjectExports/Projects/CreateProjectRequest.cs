namespace ProjectExports.Projects;

/// <summary>Body of PUT /projects/{projectId}: the new project's name.</summary>
public sealed record CreateProjectRequest
{
    public required string Name { get; set; }
}
