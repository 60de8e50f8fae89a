using System.Text.Json.Serialization;

namespace ProjectExports.Exports;

/// <summary>The queue message that asks for an export to be built: ids only, everything else is in the record.</summary>
public sealed record ExportBuildMessage(
    [property: JsonPropertyName("projectId")] string ProjectId,
    [property: JsonPropertyName("exportId")] string ExportId);
