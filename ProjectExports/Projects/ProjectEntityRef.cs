using System.Text.Json.Serialization;

namespace ProjectExports.Projects;

/// <summary>
/// Names one entity of a project the way a person and the export document do: by type and name, and for an
/// environment's data by the feature's name with its environment (and segment or identifier).
/// Types: tag, segment, feature, environment, feature_state, segment_override, identity_override.
/// </summary>
public sealed record ProjectEntityRef(
    string Type,
    string Name,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Environment = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Segment = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Identifier = null);
