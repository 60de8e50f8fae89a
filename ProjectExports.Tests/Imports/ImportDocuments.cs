using System.Text.Json.Nodes;

namespace ProjectExports.Tests.Imports;

/// <summary>A small hand-written document that uses every part of version 1, for validation tests to break one piece at a time.</summary>
public static class ImportDocuments
{
    public const string Valid = """
    {
      "version": 1,
      "exported_at": "2026-11-22T10:00:00Z",
      "tags": [{"label": "core", "color": "#FF0000", "description": null, "is_permanent": false}],
      "segments": [{"name": "beta", "description": null, "rules": [{"type": "ALL", "conditions": [], "rules": [
        {"type": "ANY", "rules": [], "conditions": [{"operator": "EQUAL", "property_": "plan", "value": "beta", "description": null}]}]}]}],
      "features": [
        {"name": "checkout", "type": "MULTIVARIATE", "default_enabled": false, "initial_value": "a", "description": null, "is_server_key_only": false,
         "tags": ["core"], "multivariate_options": [
           {"type": "unicode", "string_value": "b", "integer_value": null, "boolean_value": null, "default_percentage_allocation": 30.0},
           {"type": "int", "string_value": null, "integer_value": 3, "boolean_value": null, "default_percentage_allocation": 20}]},
        {"name": "search", "type": "STANDARD", "default_enabled": true, "initial_value": null, "description": "d", "is_server_key_only": false,
         "tags": [], "multivariate_options": []}],
      "environments": [{
        "name": "Production", "description": null, "allow_client_traits": true, "hide_disabled_flags": null, "hide_sensitive_data": false,
        "banner_text": null, "banner_colour": null, "minimum_change_request_approvals": null, "use_identity_composite_key_for_hashing": true,
        "use_identity_overrides_in_local_eval": false, "use_v2_feature_versioning": false,
        "feature_states": [
          {"feature": "checkout", "enabled": true, "feature_state_value": {"type": "unicode", "string_value": "a", "integer_value": null, "boolean_value": null},
           "multivariate_feature_state_values": [{"multivariate_feature_option": 0, "percentage_allocation": 30}, {"multivariate_feature_option": 1, "percentage_allocation": 20}]},
          {"feature": "search", "enabled": false, "feature_state_value": {"type": "bool", "string_value": null, "integer_value": null, "boolean_value": true},
           "multivariate_feature_state_values": []}],
        "feature_segments": [{"feature": "checkout", "segment": "beta", "priority": 0, "feature_state":
          {"feature": "checkout", "enabled": true, "feature_state_value": {"type": "int", "string_value": null, "integer_value": 7, "boolean_value": null},
           "multivariate_feature_state_values": []}}],
        "identity_overrides": [{"identifier": "user-42", "feature_state":
          {"feature": "search", "enabled": true, "feature_state_value": {"type": "unicode", "string_value": "x", "integer_value": null, "boolean_value": null},
           "multivariate_feature_state_values": []}}]
      }]
    }
    """;

    public static JsonObject Parse() => JsonNode.Parse(Valid)!.AsObject();

    /// <summary>The valid document with the value at a JSON Pointer replaced (or removed when <paramref name="value"/> is "REMOVE").</summary>
    public static string With(string pointer, string value)
    {
        var root = Parse();
        var parts = pointer.Split('/')[1..];
        JsonNode parent = root;
        foreach (var part in parts[..^1])
            parent = parent is JsonArray array ? array[int.Parse(part)]! : parent[part]!;
        var last = parts[^1];
        var replacement = value == "REMOVE" ? null : JsonNode.Parse(value);
        if (parent is JsonArray items) items[int.Parse(last)] = replacement;
        else if (value == "REMOVE") parent.AsObject().Remove(last);
        else parent[last] = replacement;
        return root.ToJsonString();
    }
}
