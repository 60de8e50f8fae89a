using System.Text.Json.Nodes;

namespace ProjectExports.Exports.Flagd;

/// <summary>Small builders of JSONLogic expressions as flagd's schema accepts them.</summary>
internal static class FlagdLogic
{
    public static JsonObject Op(string name, params JsonNode?[] arguments) => new() { [name] = new JsonArray(arguments) };

    /// <summary>The schema wants an object wherever logic stands, so constants are written as <c>{"!!": [b]}</c>.</summary>
    public static JsonObject Constant(bool value) => Op("!!", JsonValue.Create(value));

    /// <summary>JSONLogic reads '.' in a variable name as a path; flagd's evaluator reads "\." as a plain dot.</summary>
    public static JsonObject Var(string name) => new() { ["var"] = name.Replace(".", "\\.", StringComparison.Ordinal) };

    public static JsonObject TargetingKey() => new() { ["var"] = "targetingKey" };

    public static JsonObject AllOf(IReadOnlyList<JsonNode> parts) => parts.Count switch
    {
        0 => Constant(true),
        1 => (JsonObject)parts[0],
        _ => Op("and", [.. parts]),
    };

    public static JsonObject Not(JsonNode condition) => Op("!", condition);
}
