namespace ProjectExports.Projects;

/// <summary>
/// Names one entity of a project the way a person and the export document do: by type and name, and for an
/// environment's data by the feature's name with its environment (and segment or identifier).
/// Types: tag, segment, feature, environment, feature_state, segment_override, identity_override.
/// </summary>
public sealed record ProjectEntityRef(string Type, string Name, string? Environment = null, string? Segment = null, string? Identifier = null);
