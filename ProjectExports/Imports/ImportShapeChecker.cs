using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using ProjectExports.Exports;
using ProjectExports.Projects;
using static ProjectExports.Imports.ImportIssueCodes;

namespace ProjectExports.Imports;

/// <summary>
/// Checks each entity of a document against the model's own contract (ProjectJsonContext): every property the
/// model has (minus the export's exclusions) must have the model's JSON type, so a property added to a model is
/// checked and imported without changes here. Excluded and unknown properties are warnings, not errors.
/// </summary>
internal sealed class ImportShapeChecker(ImportIssueList errors, ImportIssueList warnings)
{
    /// <summary>Fields without which an entity has no identity or meaning; every other field defaults as in the model.</summary>
    private static readonly Dictionary<Type, string[]> Required = new()
    {
        [typeof(Tag)] = ["label"],
        [typeof(Segment)] = ["name"],
        [typeof(SegmentRule)] = ["type"],
        [typeof(SegmentCondition)] = ["operator"],
        [typeof(Feature)] = ["name"],
        [typeof(MultivariateFeatureOption)] = ["type", "default_percentage_allocation"],
        [typeof(ProjectEnvironment)] = ["name"],
        [typeof(FeatureState)] = ["feature", "enabled"],
        [typeof(FeatureStateValue)] = ["type"],
        [typeof(MultivariateFeatureStateValue)] = ["multivariate_feature_option", "percentage_allocation"],
        [typeof(FeatureSegment)] = ["feature", "segment", "priority", "feature_state"],
        [typeof(IdentityOverride)] = ["identifier", "feature_state"],
    };

    /// <summary>The environment's sections, which are not properties of the environment model.</summary>
    public static readonly string[] EnvironmentSections = ["feature_states", "feature_segments", "identity_overrides"];

    /// <summary>True when <paramref name="node"/> is an object; checks it (and nested objects) against <paramref name="type"/>.</summary>
    public bool CheckObject(JsonNode? node, Type type, string path, IReadOnlyCollection<string>? sections = null)
    {
        if (node is not JsonObject obj)
        {
            errors.Add(new ImportIssue(WrongType, $"Expected an object ({type.Name}).", path));
            return false;
        }
        if (type == typeof(SegmentCondition))
        {
            NormalizeConditionProperty(obj, path);
        }
        foreach (var name in Required[type].Where(name => !obj.ContainsKey(name)))
        {
            errors.Add(new ImportIssue(MissingField, $"'{name}' is required.", JsonPointer.Append(path, name)));
        }
        var info = ProjectJsonContext.Default.GetTypeInfo(type)!;
        var excluded = ExportContract.Exclusions[type];
        foreach (var (name, value) in obj)
        {
            var propertyPath = JsonPointer.Append(path, name);
            if (sections?.Contains(name) == true) continue;
            if (excluded.Contains(name))
            {
                warnings.Add(new ImportIssue(IgnoredProperty, $"'{name}' is not imported (the importing project assigns it).", propertyPath));
                continue;
            }
            var property = info.Properties.FirstOrDefault(p => p.Name == name);
            if (property is null)
            {
                warnings.Add(new ImportIssue(UnknownProperty, $"'{name}' is not a property of {type.Name}; it is ignored.", propertyPath));
                continue;
            }
            if (type == typeof(MultivariateFeatureStateValue) && name == "multivariate_feature_option")
            {
                // A reference: the index of the option in the feature's multivariate_options.
                if (!IsInteger(value, out var index) || index < 0)
                    errors.Add(new ImportIssue(WrongType, "Expected the index (a whole number from 0) of one of the feature's multivariate_options.", propertyPath));
                continue;
            }
            CheckValue(value, property.PropertyType, property.IsSetNullable, propertyPath);
        }
        return true;
    }

    private void CheckValue(JsonNode? value, Type type, bool nullable, string path)
    {
        var underlying = Nullable.GetUnderlyingType(type);
        if (value is null)
        {
            if (!(nullable || underlying is not null))
                errors.Add(new ImportIssue(WrongType, $"Expected {Describe(type)}, not null.", path));
            return;
        }
        type = underlying ?? type;
        var kind = value.GetValueKind();
        var ok = true;
        if (type == typeof(string)) ok = kind == JsonValueKind.String;
        else if (type == typeof(bool)) ok = kind is JsonValueKind.True or JsonValueKind.False;
        // Strict for model properties: the model's own deserializer refuses 5.0 for an integer, so accepting it here
        // would pass validation and then fail (500 on validate, FAILED after 202 on create).
        else if (type == typeof(int)) ok = IsInteger(value, out var small) && small is >= int.MinValue and <= int.MaxValue;
        else if (type == typeof(long)) ok = IsInteger(value, out _);
        else if (type == typeof(double)) ok = kind == JsonValueKind.Number;
        else if (type == typeof(Guid)) ok = kind == JsonValueKind.String && Guid.TryParse(value.GetValue<string>(), out _);
        else if (type == typeof(DateTimeOffset)) ok = kind == JsonValueKind.String && DateTimeOffset.TryParse(value.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture, out _);
        else if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>))
        {
            if (value is not JsonArray array)
            {
                ok = false;
            }
            else
            {
                var element = type.GetGenericArguments()[0];
                for (var i = 0; i < array.Count; i++)
                {
                    CheckElement(array[i], element, JsonPointer.Append(path, i));
                }
            }
        }
        else if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>))
        {
            ok = value is JsonObject map && map.All(p => p.Value?.GetValueKind() == JsonValueKind.String);
        }
        else if (Required.ContainsKey(type))
        {
            CheckObject(value, type, path);
        }
        if (!ok)
        {
            errors.Add(new ImportIssue(WrongType, $"Expected {Describe(type)}.", path));
        }
    }

    private void CheckElement(JsonNode? element, Type type, string path)
    {
        if (Required.ContainsKey(type)) CheckObject(element, type, path);
        else CheckValue(element, type, nullable: false, path);
    }

    /// <summary>Flagsmith's export spells the condition's property "property_"; "property" is accepted too.</summary>
    private void NormalizeConditionProperty(JsonObject condition, string path)
    {
        if (!condition.TryGetPropertyValue("property", out var alias)) return;
        if (condition.TryGetPropertyValue("property_", out var spelled))
        {
            if (!JsonNode.DeepEquals(alias, spelled))
                errors.Add(new ImportIssue(ConflictingFields, "'property' and 'property_' are the same field and differ; give one.", JsonPointer.Append(path, "property")));
            condition.Remove("property");
            return;
        }
        condition.Remove("property");
        condition["property_"] = alias;
    }

    /// <summary>
    /// The one rule for whole numbers in a document (version, model integers, option indexes): written without a
    /// fraction or exponent, as exports write them. 1.0 could be read as 1, but the model's deserializer refuses it,
    /// so accepting it in some fields and not others would make the rule depend on the field.
    /// </summary>
    public static bool IsInteger(JsonNode? value, out long number)
    {
        number = 0;
        return value is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue(out number);
    }

    private static string Describe(Type type) =>
        type == typeof(string) ? "a string"
        : type == typeof(bool) ? "true or false"
        : type == typeof(int) || type == typeof(long) ? "a whole number"
        : type == typeof(double) ? "a number"
        : type == typeof(Guid) ? "a UUID string"
        : type == typeof(DateTimeOffset) ? "a date-time string"
        : type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>) ? "an array"
        : "an object";
}
