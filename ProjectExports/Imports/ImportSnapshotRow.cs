using System.Text.Json.Serialization;
using ProjectExports.Projects;

namespace ProjectExports.Imports;

/// <summary>One row an import (or revert) writes: its keys, its JSON before the first write and the JSON written (null: no row).</summary>
public sealed class ImportSnapshotRow
{
    public string Partition { get; set; } = "";
    public string Row { get; set; } = "";

    [JsonConverter(typeof(RawJsonConverter))]
    public byte[]? Before { get; set; }

    [JsonConverter(typeof(RawJsonConverter))]
    public byte[]? After { get; set; }

    [JsonIgnore]
    public ProjectRowKey Key => new(Partition, Row);
}
