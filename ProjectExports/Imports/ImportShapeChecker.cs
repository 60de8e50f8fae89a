using System.Globalization;
using System.Text.Json;
using ProjectExports.Exports;
using ProjectExports.Projects;
using static ProjectExports.Imports.ImportIssueCodes;

namespace ProjectExports.Imports;

/// <summary>
/// The one place a document's shape is checked, before it is read into the models: every property a model has (minus
/// the export's exclusions) must have the JSON type the model's own deserializer reads, so a property added to a model
/// is checked and imported without changes here. Excluded and unknown properties are warnings, not errors. A document
/// that passes reads into <see cref="ImportDocument"/> without error.
/// </summary>
/// <remarks>
/// Not the JSON Schema through JsonSchema.Net: it takes 1.0 for a whole number, reports a missing field at its parent
/// rather than at the field's own path, says nothing of unknown properties, and would need editing for each new model property.
/// </remarks>
internal sealed partial class ImportShapeChecker(ImportIssueList errors, ImportIssueList warnings)
{
    // "selection" records what a partial export was limited to; an import needs nothing from it (it writes what the
    // document holds), so it is known and read no further.
    private static readonly string[] TopLevel = ["version", "exported_at", "selection", "tags", "segments", "features", "environments"];

    /// <summary>Fields without which an entity has no identity or meaning; every other field defaults as in the model.</summary>
    private static readonly Dictionary<Type, string[]> Required = new()
    {
        [typeof(Tag)] = ["label"],
        [typeof(Segment)] = ["name"],
        [typeof(SegmentRule)] = ["type"],
        [typeof(SegmentCondition)] = ["operator"],
        [typeof(Feature)] = ["name"],
        [typeof(MultivariateFeatureOption)] = ["type", "default_percentage_allocation"],
        [typeof(ProjectEnvironment)] = ["name", "feature_states", "feature_segments"],
        [typeof(FeatureState)] = ["feature", "enabled"],
        [typeof(FeatureStateValue)] = ["type"],
        [typeof(MultivariateFeatureStateValue)] = ["multivariate_feature_option", "percentage_allocation"],
        [typeof(FeatureSegment)] = ["feature", "segment", "priority", "feature_state"],
        [typeof(IdentityOverride)] = ["identifier", "feature_state"],
    };

    public void CheckDocument(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new ImportIssue(WrongType, "The document must be a JSON object.", ""));
            return;
        }
        if (!root.TryGetProperty("version", out var version))
            errors.Add(new ImportIssue(MissingField, "'version' is required.", "/version"));
        else if (!IsInteger(version, out _))
            errors.Add(new ImportIssue(WrongType, "Expected a whole number.", "/version"));
        foreach (var property in root.EnumerateObject().Where(p => !TopLevel.Contains(p.Name)))
            warnings.Add(new ImportIssue(UnknownProperty, $"'{property.Name}' is not part of a version 1 document; it is ignored.", JsonPointer.Append("", property.Name)));
        if (root.TryGetProperty("exported_at", out var exportedAt)
            && !(exportedAt.ValueKind == JsonValueKind.String && DateTimeOffset.TryParse(exportedAt.GetString(), CultureInfo.InvariantCulture, out _)))
            errors.Add(new ImportIssue(WrongType, "Expected a date-time string.", "/exported_at"));

        foreach (var (item, path) in Section(root, "", "tags", required: false)) CheckObject(item, typeof(Tag), path);
        foreach (var (item, path) in Section(root, "", "segments", required: true)) CheckObject(item, typeof(Segment), path);
        foreach (var (item, path) in Section(root, "", "features", required: true)) CheckObject(item, typeof(Feature), path);
        foreach (var (environment, path) in Section(root, "", "environments", required: true))
        {
            if (!CheckObject(environment, typeof(ProjectEnvironment), path, ImportDocumentEnvironment.Sections)) continue;
            foreach (var (item, itemPath) in Section(environment, path, "feature_states", required: false)) CheckObject(item, typeof(FeatureState), itemPath);
            foreach (var (item, itemPath) in Section(environment, path, "feature_segments", required: false)) CheckObject(item, typeof(FeatureSegment), itemPath);
            foreach (var (item, itemPath) in Section(environment, path, "identity_overrides", required: false)) CheckObject(item, typeof(IdentityOverride), itemPath);
        }
    }

    /// <summary>
    /// The one rule for whole numbers in a document (version, model integers, option indexes): written without a
    /// fraction or exponent, as exports write them. 1.0 could be read as 1, but the model's deserializer refuses it,
    /// so accepting it in some fields and not others would make the rule depend on the field.
    /// </summary>
    public static bool IsInteger(JsonElement value, out long number)
    {
        number = 0;
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out number);
    }

    private IEnumerable<(JsonElement Item, string Path)> Section(JsonElement parent, string parentPath, string name, bool required)
    {
        var path = JsonPointer.Append(parentPath, name);
        if (!parent.TryGetProperty(name, out var section))
        {
            if (required) errors.Add(new ImportIssue(MissingField, $"'{name}' is required (it may be empty).", path));
            yield break;
        }
        if (section.ValueKind != JsonValueKind.Array)
        {
            errors.Add(new ImportIssue(WrongType, "Expected an array.", path));
            yield break;
        }
        var i = 0;
        foreach (var item in section.EnumerateArray()) yield return (item, JsonPointer.Append(path, i++));
    }

    /// <summary>True when <paramref name="node"/> is an object; checks it (and nested objects) against <paramref name="type"/>.</summary>
    /// <remarks>
    /// A document has hundreds of thousands of properties: their names are matched as the UTF-8 they are, and a
    /// property's name and path become strings only for an issue or a nested value, not for every property checked.
    /// </remarks>
    private bool CheckObject(JsonElement node, Type type, string path, IReadOnlyCollection<string>? sections = null)
    {
        if (node.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new ImportIssue(WrongType, $"Expected an object ({type.Name}).", path));
            return false;
        }
        foreach (var name in Required[type])
        {
            if (node.TryGetProperty(name, out _)) continue;
            var isSection = sections?.Contains(name) == true;
            errors.Add(new ImportIssue(MissingField, isSection ? $"'{name}' is required (it may be empty)." : $"'{name}' is required.", JsonPointer.Append(path, name)));
        }
        var shape = ModelShape.Of(type);
        foreach (var member in node.EnumerateObject())
        {
            var name = Utf8NameOf(member);
            if (sections?.Contains(member.Name) == true) continue;
            if (shape.IsExcluded(name))
            {
                warnings.Add(new ImportIssue(IgnoredProperty, $"'{member.Name}' is not imported (the importing project assigns it).", JsonPointer.Append(path, member.Name)));
                continue;
            }
            // Flagsmith's export spells the condition's property "property_"; "property" is read as the same field.
            var respelled = type == typeof(SegmentCondition) && name.SequenceEqual("property"u8);
            var property = respelled ? shape.Find("property_"u8) : shape.Find(name);
            if (property is null)
            {
                warnings.Add(new ImportIssue(UnknownProperty, $"'{member.Name}' is not a property of {type.Name}; it is ignored.", JsonPointer.Append(path, member.Name)));
                continue;
            }
            if (respelled && node.TryGetProperty("property_"u8, out var spelled) && !JsonElement.DeepEquals(member.Value, spelled))
                errors.Add(new ImportIssue(ConflictingFields, "'property' and 'property_' are the same field and differ; give one.", JsonPointer.Append(path, member.Name)));
            if (type == typeof(MultivariateFeatureStateValue) && name.SequenceEqual("multivariate_feature_option"u8))
            {
                // A reference: the index of the option in the feature's multivariate_options.
                if (!IsInteger(member.Value, out var index) || index < 0)
                    errors.Add(new ImportIssue(WrongType, "Expected the index (a whole number from 0) of one of the feature's multivariate_options.", JsonPointer.Append(path, member.Name)));
                continue;
            }
            CheckValue(member.Value, property.PropertyType, property.IsSetNullable, new PendingPath(path, member));
        }
        return true;
    }

    private void CheckValue(JsonElement value, Type type, bool nullable, PendingPath path)
    {
        var underlying = Nullable.GetUnderlyingType(type);
        if (value.ValueKind == JsonValueKind.Null)
        {
            if (!(nullable || underlying is not null))
                errors.Add(new ImportIssue(WrongType, $"Expected {Describe(type)}, not null.", path.ToString()));
            return;
        }
        type = underlying ?? type;
        var kind = value.ValueKind;
        var ok = true;
        // Each test is the one the model's own deserializer applies, so a document that passes reads without error.
        if (type == typeof(string)) ok = kind == JsonValueKind.String;
        else if (type == typeof(bool)) ok = kind is JsonValueKind.True or JsonValueKind.False;
        else if (type == typeof(int)) ok = kind == JsonValueKind.Number && value.TryGetInt32(out _);
        else if (type == typeof(long)) ok = IsInteger(value, out _);
        else if (type == typeof(double)) ok = kind == JsonValueKind.Number && value.TryGetDouble(out _);
        else if (type == typeof(Guid)) ok = kind == JsonValueKind.String && value.TryGetGuid(out _);
        else if (type == typeof(DateTimeOffset)) ok = kind == JsonValueKind.String && value.TryGetDateTimeOffset(out _);
        else if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>))
        {
            ok = kind == JsonValueKind.Array;
            var element = type.GetGenericArguments()[0];
            var listPath = ok ? path.ToString() : "";
            var i = 0;
            foreach (var item in ok ? value.EnumerateArray().AsEnumerable() : [])
            {
                var itemPath = JsonPointer.Append(listPath, i++);
                if (Required.ContainsKey(element)) CheckObject(item, element, itemPath);
                else CheckValue(item, element, nullable: false, new PendingPath(itemPath, null));
            }
        }
        else if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>))
        {
            ok = kind == JsonValueKind.Object && value.EnumerateObject().All(p => p.Value.ValueKind == JsonValueKind.String);
        }
        else if (Required.ContainsKey(type))
        {
            CheckObject(value, type, path.ToString());
        }
        if (!ok)
        {
            errors.Add(new ImportIssue(WrongType, $"Expected {Describe(type)}.", path.ToString()));
        }
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
