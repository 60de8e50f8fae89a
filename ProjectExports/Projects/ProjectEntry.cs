namespace ProjectExports.Projects;

/// <summary>A project as listed: its id, name and when it was first saved.</summary>
public sealed record ProjectEntry(string Id, string Name, DateTimeOffset CreatedAt);
