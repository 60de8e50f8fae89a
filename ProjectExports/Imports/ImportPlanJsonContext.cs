using System.Text.Json.Serialization;

namespace ProjectExports.Imports;

/// <summary>The stored plan: its rows (each row's JSON as base64, so no depth of the document's reaches it), summary, warnings and scope.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(ImportPlan))]
public sealed partial class ImportPlanJsonContext : JsonSerializerContext;
