namespace ProjectExports.Projects;

/// <summary>Where one row of the project's configuration lives.</summary>
public readonly record struct ProjectRowKey(string PartitionKey, string RowKey);
