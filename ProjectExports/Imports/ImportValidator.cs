using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ProjectExports.Projects;
using ProjectExports.Storage;
using static ProjectExports.Imports.ImportIssueCodes;

namespace ProjectExports.Imports;

/// <summary>The outcome of validating a document: every error and warning, and the document (normalised) when it has no errors.</summary>
public sealed record ImportCheck(IReadOnlyList<ImportIssue> Errors, IReadOnlyList<ImportIssue> Warnings, JsonObject? Document)
{
    public bool IsValid => Errors.Count == 0;
}

/// <summary>
/// Validates a whole import document before anything is written and reports every problem at once: shape and
/// types (<see cref="ImportShapeChecker"/>), names, duplicates, references, percentages, typed values and storage
/// limits. Depends on nothing but the document, so the create and validate endpoints and the apply step agree.
/// </summary>
public static class ImportValidator
{
    public const int SupportedVersion = 1;
    public const int MaxNameLength = 1000;

    /// <summary>Room for what the importing project adds to an entity (ids, timestamps) on top of the document's JSON.</summary>
    private const int EntityOverheadBytes = 4096;

    // "selection" records what a partial export was limited to; an import needs nothing from it (it writes what the
    // document holds), so it is known and read no further.
    private static readonly string[] TopLevel = ["version", "exported_at", "selection", "tags", "segments", "features", "environments"];

    public static ImportCheck Validate(JsonNode? root)
    {
        var errors = new ImportIssueList();
        var warnings = new ImportIssueList();
        if (root is not JsonObject document)
        {
            errors.Add(new ImportIssue(WrongType, "The document must be a JSON object.", ""));
            return new ImportCheck(errors, warnings, null);
        }
        new Run(document, errors, warnings).Check();
        return new ImportCheck(errors, warnings, errors.Count == 0 ? document : null);
    }

    private sealed class Run(JsonObject document, ImportIssueList errors, ImportIssueList warnings)
    {
        private readonly ImportShapeChecker _shape = new(errors, warnings);
        private readonly HashSet<string> _tags = new(StringComparer.Ordinal);
        private readonly HashSet<string> _segments = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int> _optionCounts = new(StringComparer.Ordinal);
        private readonly Dictionary<(string What, string Folded), string> _firstPaths = [];
        private bool _hasTags;

        public void Check()
        {
            CheckVersion();
            foreach (var (name, _) in document.Where(p => !TopLevel.Contains(p.Key)))
                warnings.Add(new ImportIssue(UnknownProperty, $"'{name}' is not part of a version 1 document; it is ignored.", JsonPointer.Append("", name)));
            if (document.TryGetPropertyValue("exported_at", out var exportedAt)
                && !(exportedAt?.GetValueKind() == JsonValueKind.String && DateTimeOffset.TryParse(exportedAt.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture, out _)))
                errors.Add(new ImportIssue(WrongType, "Expected a date-time string.", "/exported_at"));

            _hasTags = document.ContainsKey("tags");
            foreach (var (tag, path) in Section("tags", required: false))
                if (_shape.CheckObject(tag, typeof(Tag), path)) Named(tag!.AsObject(), "label", path, _tags, "tag");
            foreach (var (segment, path) in Section("segments", required: true))
                if (_shape.CheckObject(segment, typeof(Segment), path)) CheckSegment(segment!.AsObject(), path);
            var features = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (feature, path) in Section("features", required: true))
                if (_shape.CheckObject(feature, typeof(Feature), path)) CheckFeature(feature!.AsObject(), path, features);
            var environments = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (environment, path) in Section("environments", required: true))
                if (_shape.CheckObject(environment, typeof(ProjectEnvironment), path, ImportShapeChecker.EnvironmentSections))
                    CheckEnvironment(environment!.AsObject(), path, environments);
        }

        private void CheckVersion()
        {
            if (!document.TryGetPropertyValue("version", out var version))
                errors.Add(new ImportIssue(MissingField, "'version' is required.", "/version"));
            else if (!ImportShapeChecker.IsInteger(version, out var number))
                errors.Add(new ImportIssue(WrongType, "Expected a whole number.", "/version"));
            else if (number != SupportedVersion)
                errors.Add(new ImportIssue(UnsupportedVersion, $"Version {number} is not supported; this service reads version {SupportedVersion}.", "/version"));
        }

        private IEnumerable<(JsonNode? Item, string Path)> Section(string name, bool required)
        {
            var path = JsonPointer.Append("", name);
            if (!document.TryGetPropertyValue(name, out var node))
            {
                if (required) errors.Add(new ImportIssue(MissingField, $"'{name}' is required (it may be empty).", path));
                yield break;
            }
            foreach (var item in Items(node, path)) yield return item;
        }

        private IEnumerable<(JsonNode? Item, string Path)> Items(JsonNode? node, string path)
        {
            if (node is not JsonArray array)
            {
                errors.Add(new ImportIssue(WrongType, "Expected an array.", path));
                yield break;
            }
            for (var i = 0; i < array.Count; i++) yield return (array[i], JsonPointer.Append(path, i));
        }

        private void CheckSegment(JsonObject segment, string path)
        {
            Named(segment, "name", path, _segments, "segment");
            CheckSize(segment, path);
            if (segment["rules"] is JsonArray rules) CheckRules(rules, JsonPointer.Append(path, "rules"));
        }

        private void CheckRules(JsonArray rules, string path)
        {
            for (var i = 0; i < rules.Count; i++)
            {
                if (rules[i] is not JsonObject rule) continue;
                var rulePath = JsonPointer.Append(path, i);
                OneOf(rule, "type", rulePath, "ALL", "ANY", "NONE");
                if (rule["rules"] is JsonArray nested) CheckRules(nested, JsonPointer.Append(rulePath, "rules"));
            }
        }

        private void CheckFeature(JsonObject feature, string path, HashSet<string> features)
        {
            var name = Named(feature, "name", path, features, "feature");
            CheckSize(feature, path);
            OneOf(feature, "type", path, "STANDARD", "MULTIVARIATE");
            if (feature["tags"] is JsonArray labels)
            {
                for (var i = 0; i < labels.Count; i++)
                    if (labels[i]?.GetValueKind() == JsonValueKind.String && !_tags.Contains(labels[i]!.GetValue<string>()))
                        errors.Add(new ImportIssue(UnknownReference, _hasTags
                            ? $"Tag '{labels[i]}' is not defined in the document's tags."
                            : $"Tag '{labels[i]}' is used but the document has no 'tags' section.", JsonPointer.Append(JsonPointer.Append(path, "tags"), i)));
            }
            var options = feature["multivariate_options"] as JsonArray ?? [];
            var optionsPath = JsonPointer.Append(path, "multivariate_options");
            var total = 0.0;
            for (var i = 0; i < options.Count; i++)
            {
                if (options[i] is not JsonObject option) continue;
                var optionPath = JsonPointer.Append(optionsPath, i);
                CheckTypedValue(option, optionPath);
                total += Percentage(option, "default_percentage_allocation", optionPath);
            }
            if (total > 100 + 1e-9)
                errors.Add(new ImportIssue(PercentageSumOver100, $"The options' default allocations add up to {total}%, over 100%.", optionsPath));
            if (name is not null) _optionCounts[name] = options.Count;
        }

        private void CheckEnvironment(JsonObject environment, string path, HashSet<string> environments)
        {
            Named(environment, "name", path, environments, "environment");
            CheckSize(new JsonObject(environment.Where(p => !ImportShapeChecker.EnvironmentSections.Contains(p.Key))
                .Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone()))), path);
            if (!environment.ContainsKey("feature_states")) errors.Add(new ImportIssue(MissingField, "'feature_states' is required (it may be empty).", JsonPointer.Append(path, "feature_states")));
            if (!environment.ContainsKey("feature_segments")) errors.Add(new ImportIssue(MissingField, "'feature_segments' is required (it may be empty).", JsonPointer.Append(path, "feature_segments")));

            var stated = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (state, statePath) in environment.TryGetPropertyValue("feature_states", out var states) ? Items(states, JsonPointer.Append(path, "feature_states")) : [])
            {
                if (!_shape.CheckObject(state, typeof(FeatureState), statePath)) continue;
                CheckSize(state!.AsObject(), statePath);
                if (CheckState(state.AsObject(), statePath) is { } feature && !stated.Add(feature))
                    errors.Add(new ImportIssue(DuplicateEntry, $"The environment has more than one state of feature '{feature}'.", JsonPointer.Append(statePath, "feature")));
            }
            foreach (var (item, itemPath) in environment.TryGetPropertyValue("feature_segments", out var overrides) ? Items(overrides, JsonPointer.Append(path, "feature_segments")) : [])
            {
                if (!_shape.CheckObject(item, typeof(FeatureSegment), itemPath)) continue;
                var segmentOverride = item!.AsObject();
                CheckSize(segmentOverride, itemPath);
                var feature = FeatureReference(segmentOverride, itemPath);
                if (Text(segmentOverride, "segment") is { } segment && !_segments.Contains(segment))
                    errors.Add(new ImportIssue(UnknownReference, $"Segment '{segment}' is not defined in the document's segments.", JsonPointer.Append(itemPath, "segment")));
                if (segmentOverride["feature_state"] is JsonObject state)
                {
                    var statePath = JsonPointer.Append(itemPath, "feature_state");
                    if (CheckState(state, statePath) is { } stateFeature && feature is not null && stateFeature != feature)
                        errors.Add(new ImportIssue(InconsistentReference, $"The override is for feature '{feature}' but its state is for '{stateFeature}'.", JsonPointer.Append(statePath, "feature")));
                }
            }
            var identities = new HashSet<(string, string)>();
            foreach (var (item, itemPath) in environment.TryGetPropertyValue("identity_overrides", out var identityOverrides) ? Items(identityOverrides, JsonPointer.Append(path, "identity_overrides")) : [])
            {
                if (!_shape.CheckObject(item, typeof(IdentityOverride), itemPath)) continue;
                var identityOverride = item!.AsObject();
                CheckSize(identityOverride, itemPath);
                var identifier = Text(identityOverride, "identifier");
                if (identifier is not null) CheckIdentifier(identifier, JsonPointer.Append(itemPath, "identifier"));
                var feature = identityOverride["feature_state"] is JsonObject state ? CheckState(state, JsonPointer.Append(itemPath, "feature_state")) : null;
                if (identifier is not null && feature is not null && !identities.Add((identifier, feature)))
                    errors.Add(new ImportIssue(DuplicateEntry, $"Identity '{identifier}' has more than one override of feature '{feature}'.", itemPath));
            }
        }

        /// <summary>Checks a feature state; returns its feature's name when that is defined in the document.</summary>
        private string? CheckState(JsonObject state, string path)
        {
            var feature = FeatureReference(state, path);
            if (state["feature_state_value"] is JsonObject value) CheckTypedValue(value, JsonPointer.Append(path, "feature_state_value"));
            var allocationsPath = JsonPointer.Append(path, "multivariate_feature_state_values");
            var allocations = state["multivariate_feature_state_values"] as JsonArray ?? [];
            var seen = new HashSet<long>();
            var total = 0.0;
            for (var i = 0; i < allocations.Count; i++)
            {
                if (allocations[i] is not JsonObject allocation) continue;
                var allocationPath = JsonPointer.Append(allocationsPath, i);
                total += Percentage(allocation, "percentage_allocation", allocationPath);
                if (!ImportShapeChecker.IsInteger(allocation["multivariate_feature_option"], out var index) || index < 0) continue;
                var optionPath = JsonPointer.Append(allocationPath, "multivariate_feature_option");
                if (feature is not null && _optionCounts.TryGetValue(feature, out var count) && index >= count)
                    errors.Add(new ImportIssue(UnknownReference, $"Feature '{feature}' has {count} multivariate options; there is no option {index}.", optionPath));
                else if (!seen.Add(index))
                    errors.Add(new ImportIssue(DuplicateEntry, $"Option {index} is allocated more than once.", optionPath));
            }
            if (total > 100 + 1e-9)
                errors.Add(new ImportIssue(PercentageSumOver100, $"The allocations add up to {total}%, over 100%.", allocationsPath));
            return feature;
        }

        private string? FeatureReference(JsonObject item, string path)
        {
            var feature = Text(item, "feature");
            if (feature is null || _optionCounts.ContainsKey(feature)) return feature;
            errors.Add(new ImportIssue(UnknownReference, $"Feature '{feature}' is not defined in the document's features.", JsonPointer.Append(path, "feature")));
            return null;
        }

        /// <summary>unicode, int or bool, and only the matching *_value may hold a value (int and bool must).</summary>
        private void CheckTypedValue(JsonObject value, string path)
        {
            var type = OneOf(value, "type", path, "unicode", "int", "bool");
            if (type is null) return;
            var expected = type switch { "int" => "integer_value", "bool" => "boolean_value", _ => "string_value" };
            foreach (var field in new[] { "string_value", "integer_value", "boolean_value" })
            {
                var present = value[field] is not null;
                if (field == expected ? type != "unicode" && !present : present)
                    errors.Add(new ImportIssue(ValueTypeMismatch, field == expected
                        ? $"A value of type '{type}' needs '{field}'."
                        : $"A value of type '{type}' keeps its value in '{expected}'; '{field}' must be null.", JsonPointer.Append(path, field)));
            }
        }

        private double Percentage(JsonObject item, string field, string path)
        {
            if (item[field] is not JsonValue value || value.GetValueKind() != JsonValueKind.Number) return 0;
            var percentage = value.TryGetValue(out double d) ? d : value.TryGetValue(out long l) ? l : 0;
            if (percentage is < 0 or > 100)
                errors.Add(new ImportIssue(PercentageOutOfRange, $"{percentage} is not a percentage from 0 to 100.", JsonPointer.Append(path, field)));
            return percentage;
        }

        private string? OneOf(JsonObject item, string field, string path, params string[] allowed)
        {
            var value = Text(item, field);
            if (value is null || allowed.Contains(value)) return value;
            errors.Add(new ImportIssue(InvalidValue, $"'{value}' is not one of {string.Join(", ", allowed)}.", JsonPointer.Append(path, field)));
            return null;
        }

        /// <summary>Checks a name (label) and that it is unique in its section; returns it when it is usable.</summary>
        private string? Named(JsonObject item, string field, string path, HashSet<string> seen, string what)
        {
            var name = Text(item, field);
            if (name is null) return null;
            var fieldPath = JsonPointer.Append(path, field);
            if (name.Trim().Length == 0 || name.Length > MaxNameLength || name.Any(char.IsControl))
            {
                errors.Add(new ImportIssue(InvalidName, $"A {what} {field} must be 1 to {MaxNameLength} characters, not blank, without control characters.", fieldPath));
                return null;
            }
            var folded = NameFolding.Fold(name);
            if (!seen.Add(name))
            {
                errors.Add(new ImportIssue(DuplicateName, $"The document defines {what} '{name}' more than once.", fieldPath));
            }
            else if (!_firstPaths.TryAdd((what, folded), fieldPath))
            {
                // Two entities nobody can tell apart on screen: refused rather than imported as two, or guessed as one.
                errors.Add(new ImportIssue(LookalikeName,
                    $"This {what} {field} differs from the one at {_firstPaths[(what, folded)]} only by Unicode normalization or invisible characters; rename one.", fieldPath));
            }
            if (!NameFolding.IsNfc(name) || NameFolding.HasInvisible(name))
            {
                warnings.Add(new ImportIssue(UnnormalizedName,
                    $"This {what} {field} is not in Unicode NFC or holds invisible characters; it is imported as written, so a name typed the usual way will not match it.", fieldPath));
            }
            return name;
        }

        /// <summary>Identifiers are stored in keys as hex of their UTF-8 bytes, next to a feature id.</summary>
        private void CheckIdentifier(string identifier, string path)
        {
            var keyLength = 2 * Encoding.UTF8.GetByteCount(identifier) + 1 + TableKeys.MaxIdLength;
            if (identifier.Length == 0)
                errors.Add(new ImportIssue(InvalidName, "An identifier must not be empty.", path));
            else if (keyLength > TableKeys.MaxKeyLength)
                errors.Add(new ImportIssue(KeyTooLong, $"The identifier is {Encoding.UTF8.GetByteCount(identifier)} bytes as UTF-8; at most {(TableKeys.MaxKeyLength - 1 - TableKeys.MaxIdLength) / 2} fit in a Table Storage key.", path));
        }

        private void CheckSize(JsonObject entity, string path)
        {
            var bytes = Encoding.UTF8.GetByteCount(entity.ToJsonString()) + EntityOverheadBytes;
            if (bytes > JsonEntityCodec.MaxBytes)
                errors.Add(new ImportIssue(EntityTooLarge, $"The entity is about {bytes:N0} bytes; Table Storage holds at most {JsonEntityCodec.MaxBytes:N0} per entity.", path));
        }

        private static string? Text(JsonObject item, string field) =>
            item[field] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
    }
}
