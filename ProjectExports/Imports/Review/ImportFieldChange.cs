using System.Text.Json.Nodes;

namespace ProjectExports.Imports.Review;

/// <summary>
/// One field an update changes, in the export document's terms: <c>field</c> is a JSON Pointer into the entity as the
/// document writes it (references by name, options by index), <c>before</c>/<c>after</c> its values (null when absent),
/// or for a value over <see cref="ImportPlanDiff.MaxValueBytes"/> of JSON, <c>{"elided": true, "length": …, "sha256": …}</c>.
/// </summary>
public sealed record ImportFieldChange(string Field, JsonNode? Before, JsonNode? After);
