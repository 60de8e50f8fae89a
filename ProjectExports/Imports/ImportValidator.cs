using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ProjectExports.Projects;
using ProjectExports.Storage;
using static ProjectExports.Imports.ImportIssueCodes;

namespace ProjectExports.Imports;

/// <summary>
/// Checks the meaning of a document read into the models, before anything is written, and reports every problem at
/// once: version, names, duplicates, lookalikes, references, percentages, typed values and storage limits. Depends on
/// nothing but the document, so the create and validate endpoints agree.
/// </summary>
public static class ImportValidator
{
    public const int SupportedVersion = 1;
    public const int MaxNameLength = 1000;

    /// <summary>Room for what the importing project adds to an entity (ids, timestamps) on top of the model's JSON.</summary>
    private const int EntityOverheadBytes = 4096;

    /// <summary>The rule every name and label of a document meets; also an environment map's targets.</summary>
    public static bool IsUsableName(string name) => name.Trim().Length > 0 && name.Length <= MaxNameLength && !name.Any(char.IsControl);

    public static void Validate(ImportDocument document, ImportIssueList errors, ImportIssueList warnings)
    {
        using var run = new Run(document, errors, warnings);
        run.Check();
    }

    private sealed class Run(ImportDocument document, ImportIssueList errors, ImportIssueList warnings) : IDisposable
    {
        private static ProjectJsonContext Json => ProjectJsonContext.Default;

        private readonly HashSet<string> _tags = new(StringComparer.Ordinal);
        private readonly HashSet<string> _segments = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int> _optionCounts = new(StringComparer.Ordinal);
        private readonly Dictionary<(string What, string Folded), DocumentPath> _firstPaths = [];

        /// <summary>Measures entities as storage writes them, without keeping the bytes.</summary>
        private readonly Utf8JsonWriter _sizer = new(Stream.Null);

        public void Check()
        {
            if (document.Version != SupportedVersion)
                errors.Add(new ImportIssue(UnsupportedVersion, $"Version {document.Version} is not supported; this service reads version {SupportedVersion}.", "/version"));
            foreach (var (tag, path) in Indexed(document.Tags ?? [], DocumentPath.Root.Append("tags")))
                Named(tag.Label, "label", path, _tags, "tag");
            foreach (var (segment, path) in Indexed(document.Segments, DocumentPath.Root.Append("segments")))
            {
                Named(segment.Name, "name", path, _segments, "segment");
                CheckSize(segment, Json.Segment, path);
                CheckRules(segment.Rules, path.Append("rules"));
            }
            var features = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (feature, path) in Indexed(document.Features, DocumentPath.Root.Append("features"))) CheckFeature(feature, path, features);
            var environments = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (environment, path) in Indexed(document.Environments, DocumentPath.Root.Append("environments")))
            {
                using var sections = environment.ReadSections(); // one environment's sections held at a time
                CheckEnvironment(environment, path, environments);
            }
        }

        public void Dispose() => _sizer.Dispose();

        private void CheckRules(List<SegmentRule> rules, DocumentPath path)
        {
            foreach (var (rule, rulePath) in Indexed(rules, path))
            {
                OneOf(rule.Type, "type", rulePath, "ALL", "ANY", "NONE");
                CheckRules(rule.Rules, rulePath.Append("rules"));
            }
        }

        private void CheckFeature(Feature feature, DocumentPath path, HashSet<string> features)
        {
            var name = Named(feature.Name, "name", path, features, "feature");
            CheckSize(feature, Json.Feature, path);
            OneOf(feature.Type, "type", path, "STANDARD", "MULTIVARIATE");
            foreach (var (label, labelPath) in Indexed(feature.Tags, path.Append("tags")))
            {
                if (!_tags.Contains(label))
                    errors.Add(Issue(UnknownReference, document.Tags is not null
                        ? $"Tag '{label}' is not defined in the document's tags."
                        : $"Tag '{label}' is used but the document has no 'tags' section.", labelPath));
            }
            var optionsPath = path.Append("multivariate_options");
            var total = 0.0;
            foreach (var (option, optionPath) in Indexed(feature.MultivariateOptions, optionsPath))
            {
                CheckTypedValue(option.Type, option.StringValue, option.IntegerValue, option.BooleanValue, optionPath);
                total += Percentage(option.DefaultPercentageAllocation, "default_percentage_allocation", optionPath);
            }
            if (total > 100 + 1e-9)
                errors.Add(Issue(PercentageSumOver100, $"The options' default allocations add up to {total}%, over 100%.", optionsPath));
            if (name is not null) _optionCounts[name] = feature.MultivariateOptions.Count;
        }

        private void CheckEnvironment(ImportDocumentEnvironment environment, DocumentPath path, HashSet<string> environments)
        {
            Named(environment.Settings.Name, "name", path, environments, "environment");
            CheckSize(environment.Settings, Json.ProjectEnvironment, path);

            var stated = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (state, statePath) in Indexed(environment.FeatureStates, path.Append("feature_states")))
            {
                CheckSize(state, Json.FeatureState, statePath);
                if (CheckState(state, statePath) is { } feature && !stated.Add(feature))
                    errors.Add(Issue(DuplicateEntry, $"The environment has more than one state of feature '{feature}'.", statePath.Append("feature")));
            }
            foreach (var (segmentOverride, itemPath) in Indexed(environment.FeatureSegments, path.Append("feature_segments")))
            {
                CheckSize(segmentOverride, Json.FeatureSegment, itemPath);
                var feature = FeatureReference(segmentOverride.Feature, itemPath);
                if (!_segments.Contains(segmentOverride.Segment))
                    errors.Add(Issue(UnknownReference, $"Segment '{segmentOverride.Segment}' is not defined in the document's segments.", itemPath.Append("segment")));
                var statePath = itemPath.Append("feature_state");
                if (CheckState(segmentOverride.FeatureState, statePath) is { } stateFeature && feature is not null && stateFeature != feature)
                    errors.Add(Issue(InconsistentReference, $"The override is for feature '{feature}' but its state is for '{stateFeature}'.", statePath.Append("feature")));
            }
            var identities = new HashSet<(string, string)>();
            foreach (var (identityOverride, itemPath) in Indexed(environment.IdentityOverrides ?? [], path.Append("identity_overrides")))
            {
                CheckSize(identityOverride, Json.IdentityOverride, itemPath);
                var identifier = identityOverride.Identifier;
                CheckIdentifier(identifier, itemPath.Append("identifier"));
                var feature = CheckState(identityOverride.FeatureState, itemPath.Append("feature_state"));
                if (feature is not null && !identities.Add((identifier, feature)))
                    errors.Add(Issue(DuplicateEntry, $"Identity '{identifier}' has more than one override of feature '{feature}'.", itemPath));
            }
        }

        /// <summary>Checks a feature state; returns its feature's name when that is defined in the document.</summary>
        private string? CheckState(FeatureState state, DocumentPath path)
        {
            var feature = FeatureReference(state.Feature, path);
            var value = state.FeatureStateValue;
            CheckTypedValue(value.Type, value.StringValue, value.IntegerValue, value.BooleanValue, path.Append("feature_state_value"));
            var allocationsPath = path.Append("multivariate_feature_state_values");
            HashSet<long>? seen = null; // most states allocate no options
            var total = 0.0;
            foreach (var (allocation, allocationPath) in Indexed(state.MultivariateFeatureStateValues, allocationsPath))
            {
                total += Percentage(allocation.PercentageAllocation, "percentage_allocation", allocationPath);
                var index = long.Parse(allocation.MultivariateFeatureOption, CultureInfo.InvariantCulture); // the document's index (ImportContract)
                var optionPath = allocationPath.Append("multivariate_feature_option");
                if (feature is not null && _optionCounts.TryGetValue(feature, out var count) && index >= count)
                    errors.Add(Issue(UnknownReference, $"Feature '{feature}' has {count} multivariate options; there is no option {index}.", optionPath));
                else if (!(seen ??= []).Add(index))
                    errors.Add(Issue(DuplicateEntry, $"Option {index} is allocated more than once.", optionPath));
            }
            if (total > 100 + 1e-9)
                errors.Add(Issue(PercentageSumOver100, $"The allocations add up to {total}%, over 100%.", allocationsPath));
            return feature;
        }

        private string? FeatureReference(string feature, DocumentPath path)
        {
            if (_optionCounts.ContainsKey(feature)) return feature;
            errors.Add(Issue(UnknownReference, $"Feature '{feature}' is not defined in the document's features.", path.Append("feature")));
            return null;
        }

        /// <summary>unicode, int or bool, and only the matching *_value may hold a value (int and bool must).</summary>
        private void CheckTypedValue(string valueType, string? stringValue, long? integerValue, bool? booleanValue, DocumentPath path)
        {
            var type = OneOf(valueType, "type", path, "unicode", "int", "bool");
            if (type is null) return;
            var expected = type switch { "int" => "integer_value", "bool" => "boolean_value", _ => "string_value" };
            Check("string_value", stringValue is not null);
            Check("integer_value", integerValue is not null);
            Check("boolean_value", booleanValue is not null);

            void Check(string field, bool present)
            {
                if (field == expected ? type != "unicode" && !present : present)
                    errors.Add(Issue(ValueTypeMismatch, field == expected
                        ? $"A value of type '{type}' needs '{field}'."
                        : $"A value of type '{type}' keeps its value in '{expected}'; '{field}' must be null.", path.Append(field)));
            }
        }

        private double Percentage(double percentage, string field, DocumentPath path)
        {
            if (percentage is < 0 or > 100)
                errors.Add(Issue(PercentageOutOfRange, $"{percentage} is not a percentage from 0 to 100.", path.Append(field)));
            return percentage;
        }

        private string? OneOf(string value, string field, DocumentPath path, params ReadOnlySpan<string> allowed)
        {
            if (allowed.Contains(value)) return value;
            errors.Add(Issue(InvalidValue, $"'{value}' is not one of {string.Join(", ", allowed)}.", path.Append(field)));
            return null;
        }

        /// <summary>Checks a name (label) and that it is unique in its section; returns it when it is usable.</summary>
        private string? Named(string name, string field, DocumentPath path, HashSet<string> seen, string what)
        {
            var fieldPath = path.Append(field);
            if (!IsUsableName(name))
            {
                errors.Add(Issue(InvalidName, $"A {what} {field} must be 1 to {MaxNameLength} characters, not blank, without control characters.", fieldPath));
                return null;
            }
            var folded = NameFolding.Fold(name);
            if (!seen.Add(name))
            {
                errors.Add(Issue(DuplicateName, $"The document defines {what} '{name}' more than once.", fieldPath));
            }
            else if (!_firstPaths.TryAdd((what, folded), fieldPath))
            {
                // Two entities nobody can tell apart on screen: refused rather than imported as two, or guessed as one.
                errors.Add(Issue(LookalikeName,
                    $"This {what} {field} differs from the one at {_firstPaths[(what, folded)]} only by Unicode normalization or invisible characters; rename one.", fieldPath));
            }
            if (!NameFolding.IsNfc(name) || NameFolding.HasInvisible(name))
            {
                warnings.Add(Issue(UnnormalizedName,
                    $"This {what} {field} is not in Unicode NFC or holds invisible characters; it is imported as written, so a name typed the usual way will not match it.", fieldPath));
            }
            return name;
        }

        /// <summary>Identifiers are stored in keys as hex of their UTF-8 bytes, next to a feature id.</summary>
        private void CheckIdentifier(string identifier, DocumentPath path)
        {
            var keyLength = 2 * Encoding.UTF8.GetByteCount(identifier) + 1 + TableKeys.MaxIdLength;
            if (identifier.Length == 0)
                errors.Add(Issue(InvalidName, "An identifier must not be empty.", path));
            else if (keyLength > TableKeys.MaxKeyLength)
                errors.Add(Issue(KeyTooLong, $"The identifier is {Encoding.UTF8.GetByteCount(identifier)} bytes as UTF-8; at most {(TableKeys.MaxKeyLength - 1 - TableKeys.MaxIdLength) / 2} fit in a Table Storage key.", path));
        }

        /// <summary>The entity's size as storage writes it (the model's own JSON), plus room for what the project adds.</summary>
        private void CheckSize<T>(T entity, JsonTypeInfo<T> typeInfo, DocumentPath path)
        {
            _sizer.Reset();
            JsonSerializer.Serialize(_sizer, entity, typeInfo);
            _sizer.Flush();
            var bytes = _sizer.BytesCommitted + EntityOverheadBytes;
            if (bytes > JsonEntityCodec.MaxBytes)
                errors.Add(Issue(EntityTooLarge, $"The entity is about {bytes:N0} bytes; Table Storage holds at most {JsonEntityCodec.MaxBytes:N0} per entity.", path));
        }

        private static IEnumerable<(T Item, DocumentPath Path)> Indexed<T>(IEnumerable<T> items, DocumentPath path)
        {
            var i = 0;
            foreach (var item in items) yield return (item, path.Append(i++));
        }

        /// <summary>An issue at <paramref name="path"/>, which only now becomes a JSON Pointer.</summary>
        private static ImportIssue Issue(string code, string message, DocumentPath path) => new(code, message, path.ToString());
    }
}
