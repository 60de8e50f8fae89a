using System.Text.Json.Serialization;

namespace ProjectExports.Imports;

/// <summary>The stored plan's header: its summary, warnings, id and scope (<see cref="ImportPlanFormat"/> stores its rows after it).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(ImportPlan))]
public sealed partial class ImportPlanJsonContext : JsonSerializerContext;
