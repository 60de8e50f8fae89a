using System.Text.Json.Serialization;

namespace ProjectExports.Projects;

/// <summary>
/// The models' own serialization: snake_case, every public property. Storage keeps entities in this form
/// and exports derive theirs from it (minus exclusions), so both follow the model without extra code.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(Project))]
[JsonSerializable(typeof(Tag))]
[JsonSerializable(typeof(Segment))]
[JsonSerializable(typeof(Feature))]
[JsonSerializable(typeof(ProjectEnvironment))]
[JsonSerializable(typeof(FeatureState))]
[JsonSerializable(typeof(FeatureSegment))]
[JsonSerializable(typeof(IdentityOverride))]
[JsonSerializable(typeof(ProjectSnapshot))]
[JsonSerializable(typeof(int))]
public sealed partial class ProjectJsonContext : JsonSerializerContext;
