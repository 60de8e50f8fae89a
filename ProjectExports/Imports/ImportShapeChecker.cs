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

    private ReadOnlyMemory<byte> _json;

    /// <summary>Checks <paramref name="json"/>, one JSON value without duplicate properties (<see cref="JsonSyntax"/>), in one read.</summary>
    public void CheckDocument(ReadOnlyMemory<byte> json)
    {
        _json = json;
        var reader = new Utf8JsonReader(json.Span, new JsonReaderOptions { MaxDepth = ImportDocumentParser.MaxDepth });
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            errors.Add(new ImportIssue(WrongType, "The document must be a JSON object.", ""));
            return;
        }
        var mark = errors.Count;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            EnterName(ref reader);
            reader.Read();
            seen.Add(name);
            switch (name)
            {
                case "version":
                    if (!IsInteger(ref reader)) Error(WrongType, "Expected a whole number.");
                    break;
                case "exported_at":
                    if (!(reader.TokenType == JsonTokenType.String && DateTimeOffset.TryParse(reader.GetString(), CultureInfo.InvariantCulture, out _)))
                        Error(WrongType, "Expected a date-time string.");
                    break;
                case "tags": CheckSection(ref reader, typeof(Tag)); break;
                case "segments": CheckSection(ref reader, typeof(Segment)); break;
                case "features": CheckSection(ref reader, typeof(Feature)); break;
                case "environments": CheckSection(ref reader, typeof(ProjectEnvironment)); break;
                default:
                    if (!TopLevel.Contains(name))
                        warnings.Add(new ImportIssue(UnknownProperty, $"'{name}' is not part of a version 1 document; it is ignored.", PathText()));
                    break;
            }
            reader.Skip();
            Leave();
        }
        if (!seen.Contains("version"))
            errors.Insert(mark, new ImportIssue(MissingField, "'version' is required.", "/version"));
        foreach (var section in (string[])["segments", "features", "environments"])
        {
            if (!seen.Contains(section)) errors.Add(new ImportIssue(MissingField, $"'{section}' is required (it may be empty).", JsonPointer.Append("", section)));
        }
    }

    /// <summary>
    /// The one rule for whole numbers in a document (version, model integers, option indexes): written without a
    /// fraction or exponent, as exports write them. 1.0 could be read as 1, but the model's deserializer refuses it,
    /// so accepting it in some fields and not others would make the rule depend on the field.
    /// </summary>
    private static bool IsInteger(ref Utf8JsonReader value) => value.TokenType == JsonTokenType.Number && value.TryGetInt64(out _);

    /// <summary>An array of <paramref name="itemType"/> objects, each checked; the reader ends on the array's last token.</summary>
    private void CheckSection(ref Utf8JsonReader reader, Type itemType)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            Error(WrongType, "Expected an array.");
            return;
        }
        for (var i = 0; reader.Read() && reader.TokenType != JsonTokenType.EndArray; i++)
        {
            EnterIndex(i);
            CheckObject(ref reader, itemType);
            reader.Skip();
            Leave();
        }
    }

    /// <summary>Checks the value at the reader (and nested objects) as a <paramref name="type"/>; the reader ends on its last token.</summary>
    /// <remarks>
    /// A document has hundreds of thousands of properties: their names are matched as the UTF-8 they are, and a
    /// property's name and path become strings only for an issue.
    /// </remarks>
    private void CheckObject(ref Utf8JsonReader reader, Type type)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            Error(WrongType, $"Expected an object ({type.Name}).");
            return;
        }
        var shape = ModelShape.Of(type);
        var isEnvironment = type == typeof(ProjectEnvironment);
        // Issues found once the object has been read go where the JSON tree's walk put them: missing fields first.
        var mark = errors.Count;
        var present = 0;
        ConditionProperty spelled = default, respelled = default;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = NameOf(ref reader);
            present |= shape.RequiredBit(name);
            EnterName(ref reader);
            reader.Read();
            var section = isEnvironment ? SectionType(name) : null;
            // Flagsmith's export spells the condition's property "property_"; "property" is read as the same field.
            var isRespelled = type == typeof(SegmentCondition) && name.SequenceEqual("property"u8);
            var excluded = section is null && shape.IsExcluded(name);
            var property = section is null && !excluded ? shape.Find(isRespelled ? "property_"u8 : name) : null;
            if (section is not null)
            {
                CheckSection(ref reader, section);
            }
            else if (excluded)
            {
                warnings.Add(new ImportIssue(IgnoredProperty, $"'{LastName()}' is not imported (the importing project assigns it).", PathText()));
            }
            else if (property is null)
            {
                warnings.Add(new ImportIssue(UnknownProperty, $"'{LastName()}' is not a property of {type.Name}; it is ignored.", PathText()));
            }
            else if (type == typeof(MultivariateFeatureStateValue) && name.SequenceEqual("multivariate_feature_option"u8))
            {
                // A reference: the index of the option in the feature's multivariate_options.
                if (!(IsInteger(ref reader) && reader.GetInt64() >= 0))
                    Error(WrongType, "Expected the index (a whole number from 0) of one of the feature's multivariate_options.");
            }
            else if (type == typeof(SegmentCondition) && (isRespelled || name.SequenceEqual("property_"u8)))
            {
                var (start, issueIndex, path) = ((int)reader.TokenStartIndex, errors.Count, PathText());
                CheckValue(ref reader, property.PropertyType, property.IsSetNullable);
                reader.Skip();
                var value = new ConditionProperty(start, (int)reader.BytesConsumed, issueIndex, path);
                if (isRespelled) respelled = value;
                else spelled = value;
            }
            else
            {
                CheckValue(ref reader, property.PropertyType, property.IsSetNullable);
            }
            reader.Skip();
            Leave();
        }
        if (respelled.End > 0 && spelled.End > 0 && !ConditionProperty.SameValue(_json, respelled, spelled))
            errors.Insert(respelled.IssueIndex, new ImportIssue(ConflictingFields, "'property' and 'property_' are the same field and differ; give one.", respelled.Path!));
        foreach (var (name, bit) in shape.Required)
        {
            if ((present & bit) != 0) continue;
            var isSection = isEnvironment && ImportDocumentEnvironment.Sections.Contains(name);
            errors.Insert(mark++, new ImportIssue(MissingField, isSection ? $"'{name}' is required (it may be empty)." : $"'{name}' is required.", JsonPointer.Append(PathText(), name)));
        }
    }

    private void CheckValue(ref Utf8JsonReader reader, Type type, bool nullable)
    {
        var underlying = Nullable.GetUnderlyingType(type);
        if (reader.TokenType == JsonTokenType.Null)
        {
            if (!(nullable || underlying is not null))
                Error(WrongType, $"Expected {Describe(type)}, not null.");
            return;
        }
        type = underlying ?? type;
        var kind = reader.TokenType;
        var ok = true;
        // Each test is the one the model's own deserializer applies, so a document that passes reads without error.
        if (type == typeof(string)) ok = kind == JsonTokenType.String;
        else if (type == typeof(bool)) ok = kind is JsonTokenType.True or JsonTokenType.False;
        else if (type == typeof(int)) ok = kind == JsonTokenType.Number && reader.TryGetInt32(out _);
        else if (type == typeof(long)) ok = IsInteger(ref reader);
        else if (type == typeof(double)) ok = kind == JsonTokenType.Number && reader.TryGetDouble(out _);
        else if (type == typeof(Guid)) ok = kind == JsonTokenType.String && reader.TryGetGuid(out _);
        else if (type == typeof(DateTimeOffset)) ok = kind == JsonTokenType.String && reader.TryGetDateTimeOffset(out _);
        else if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>))
        {
            ok = kind == JsonTokenType.StartArray;
            var element = type.GetGenericArguments()[0];
            for (var i = 0; ok && reader.Read() && reader.TokenType != JsonTokenType.EndArray; i++)
            {
                EnterIndex(i);
                if (Required.ContainsKey(element)) CheckObject(ref reader, element);
                else CheckValue(ref reader, element, nullable: false);
                reader.Skip();
                Leave();
            }
        }
        else if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>))
        {
            ok = kind == JsonTokenType.StartObject;
            // Read to the end even past a wrong value, so the reader ends on the object's last token.
            while (kind == JsonTokenType.StartObject && reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                reader.Read();
                ok &= reader.TokenType == JsonTokenType.String;
                reader.Skip();
            }
        }
        else if (Required.ContainsKey(type))
        {
            CheckObject(ref reader, type);
        }
        if (!ok)
        {
            Error(WrongType, $"Expected {Describe(type)}.");
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
