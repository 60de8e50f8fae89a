using ProjectExports.Projects;

namespace ProjectExports.Imports;

/// <summary>One row a plan writes, as stored: its keys and its JSON (null: the row is deleted).</summary>
public sealed class ImportPlanRow
{
    public string Partition { get; set; } = "";
    public string Row { get; set; } = "";

    /// <summary>Stored as base64, which reads back at memory speed; the plan's blob is compressed (<see cref="ImportBlobs.UploadCompressedJsonAsync"/>).</summary>
    public byte[]? Json { get; set; }

    public static ImportPlanRow Of(ProjectRow row) => new() { Partition = row.PartitionKey, Row = row.RowKey, Json = row.Json };

    public ProjectRow ToProjectRow() => new(Partition, Row, Json);
}
