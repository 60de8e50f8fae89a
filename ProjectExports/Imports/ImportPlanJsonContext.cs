using System.Text.Json.Serialization;

namespace ProjectExports.Imports;

/// <summary>
/// The stored plan: its rows as they will be stored (raw JSON), plus the summary. A row nests a few levels deeper
/// than the document it came from (which may use all 64), hence the higher depth limit.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.Never, MaxDepth = 128)]
[JsonSerializable(typeof(ImportPlan))]
public sealed partial class ImportPlanJsonContext : JsonSerializerContext;
