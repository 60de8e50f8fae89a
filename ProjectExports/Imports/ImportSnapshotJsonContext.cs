using System.Text.Json.Serialization;

namespace ProjectExports.Imports;

/// <summary>The stored snapshot; rows nest as deeply as the models they hold (segment rules), hence the depth limit of the plan's.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.Never, MaxDepth = 128)]
[JsonSerializable(typeof(ImportSnapshot))]
public sealed partial class ImportSnapshotJsonContext : JsonSerializerContext;
