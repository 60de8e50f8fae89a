namespace ProjectExports.Projects;

/// <summary>
/// One row of the project's configuration as stored: its keys and its JSON (null: no such row, or a row to delete).
/// Imports snapshot, write, verify and revert rows, not domain objects, so that undo stays exact whatever the layout.
/// </summary>
public sealed record ProjectRow(string PartitionKey, string RowKey, byte[]? Json)
{
    public ProjectRowKey Key => new(PartitionKey, RowKey);
}
