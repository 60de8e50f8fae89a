using System.Globalization;
using System.Text.Json.Nodes;
using ProjectExports.Projects;

namespace ProjectExports.Tests.Exports.Flagd;

/// <summary>
/// What one environment of a project means for a context, evaluated directly on the model the way Flagsmith does
/// (identity override, else the first matching segment override by priority, else the environment's state; an
/// identity's share of a multivariate allocation picks an option), then seen through OpenFeature as the flagd export
/// documents it: a feature with no value anywhere serves its enabled switch ("on"/"off"), any other serves its value,
/// or nothing (the caller's default) when disabled or valueless. The only hash is flagd's own, asked of the evaluator
/// (<paramref name="bucket"/>: which of 10,000 buckets a text falls in). Conditions the export reports as unmappable
/// (REGEX) are taken as never matching, as reported.
/// </summary>
public sealed class FlagsmithMeaning(ProjectSnapshot project, EnvironmentSnapshot environment, Func<string, int> bucket)
{
    public (string? Variant, JsonNode? Value) Expect(Feature feature, FlagdContext context)
    {
        var (state, allocations) = Resolve(feature, context);
        var values = AllValues(feature).ToList();
        if (values.All(v => v is null))
        {
            return state.Enabled ? ("on", JsonValue.Create(true)) : ("off", JsonValue.Create(false));
        }
        var value = Value(state.FeatureStateValue);
        string? variant = null;
        if (allocations && context.Identity is not null)
        {
            var percentile = bucket(feature.Name + context.Identity) / 100.0;
            double start = 0;
            foreach (var allocation in state.MultivariateFeatureStateValues.OrderBy(v => feature.MultivariateOptions.FindIndex(o => o.Id == v.MultivariateFeatureOption)))
            {
                var index = feature.MultivariateOptions.FindIndex(o => o.Id == allocation.MultivariateFeatureOption);
                var share = Math.Round(allocation.PercentageAllocation * 100, MidpointRounding.AwayFromZero) / 100;
                if (percentile >= start && percentile < start + share)
                {
                    var option = feature.MultivariateOptions[index];
                    value = Value(new FeatureStateValue { Type = option.Type, StringValue = option.StringValue, IntegerValue = option.IntegerValue, BooleanValue = option.BooleanValue });
                    variant = "option_" + index;
                    break;
                }
                start += share;
            }
        }
        if (!state.Enabled || value is null)
        {
            return (null, null);
        }
        variant ??= VariantOf(feature, value);
        var mixed = values.OfType<object>().Select(v => v.GetType()).Distinct().Count() > 1;
        return (variant, value switch
        {
            string text => JsonValue.Create(text),
            long number => mixed ? JsonValue.Create(number.ToString(CultureInfo.InvariantCulture)) : JsonValue.Create(number),
            bool flag => mixed ? JsonValue.Create(flag ? "true" : "false") : JsonValue.Create(flag),
            _ => throw new InvalidOperationException($"Unexpected value {value}"),
        });
    }

    /// <summary>The state that applies, and whether its allocations do (identity overrides have none).</summary>
    private (FeatureState State, bool Allocations) Resolve(Feature feature, FlagdContext context)
    {
        var identity = environment.IdentityOverrides.FirstOrDefault(i => i.FeatureState.Feature == feature.Id && i.Identifier == context.Identity);
        if (context.Identity is not null && identity is not null)
        {
            return (identity.FeatureState, false);
        }
        var segmentOverride = environment.FeatureSegments.Where(s => s.Feature == feature.Id).OrderBy(s => s.Priority)
            .FirstOrDefault(s => Matches(project.Segments.Single(g => g.Id == s.Segment), context));
        return (segmentOverride?.FeatureState ?? environment.FeatureStates.Single(s => s.Feature == feature.Id), true);
    }

    /// <summary>The export's variant names: "control", "option_i", else named after the first override with that value.</summary>
    private string VariantOf(Feature feature, object value)
    {
        var control = environment.FeatureStates.Single(s => s.Feature == feature.Id);
        if (Equals(Value(control.FeatureStateValue), value)) return "control";
        for (var i = 0; i < feature.MultivariateOptions.Count; i++)
        {
            var o = feature.MultivariateOptions[i];
            if (Equals(Value(new FeatureStateValue { Type = o.Type, StringValue = o.StringValue, IntegerValue = o.IntegerValue, BooleanValue = o.BooleanValue }), value)) return "option_" + i;
        }
        var identity = environment.IdentityOverrides.Where(i => i.FeatureState.Feature == feature.Id).OrderBy(i => i.Identifier, StringComparer.Ordinal)
            .FirstOrDefault(i => Equals(Value(i.FeatureState.FeatureStateValue), value));
        if (identity is not null) return "identity:" + identity.Identifier;
        var segment = environment.FeatureSegments.Where(s => s.Feature == feature.Id).OrderBy(s => s.Priority)
            .First(s => Equals(Value(s.FeatureState.FeatureStateValue), value));
        return "segment:" + project.Segments.Single(g => g.Id == segment.Segment).Name;
    }

    private IEnumerable<object?> AllValues(Feature feature) =>
        new[] { environment.FeatureStates.Single(s => s.Feature == feature.Id).FeatureStateValue }
            .Concat(feature.MultivariateOptions.Select(o => new FeatureStateValue { Type = o.Type, StringValue = o.StringValue, IntegerValue = o.IntegerValue, BooleanValue = o.BooleanValue }))
            .Concat(environment.FeatureSegments.Where(s => s.Feature == feature.Id).Select(s => s.FeatureState.FeatureStateValue))
            .Concat(environment.IdentityOverrides.Where(i => i.FeatureState.Feature == feature.Id).Select(i => i.FeatureState.FeatureStateValue))
            .Select(Value);

    private static object? Value(FeatureStateValue value) => value.Type switch
    {
        "int" => value.IntegerValue,
        "bool" => value.BooleanValue,
        _ => value.StringValue,
    };

    private bool Matches(Segment segment, FlagdContext context) =>
        segment.Rules.Count > 0 && segment.Rules.All(r => Matches(r, segment, context));

    private bool Matches(SegmentRule rule, Segment segment, FlagdContext context)
    {
        var results = rule.Conditions.Select(c => Matches(c, segment, context)).ToList();
        var conditions = results.Count == 0 || rule.Type switch { "ALL" => results.All(r => r), "ANY" => results.Any(r => r), _ => !results.Any(r => r) };
        return conditions && rule.Rules.All(r => Matches(r, segment, context));
    }

    private bool Matches(SegmentCondition condition, Segment segment, FlagdContext context)
    {
        if (condition.Operator == "PERCENTAGE_SPLIT")
        {
            return context.Identity is not null && bucket(segment.Name + context.Identity) < double.Parse(condition.Value!, CultureInfo.InvariantCulture) * 100;
        }
        if (!context.Traits.TryGetValue(condition.Property!, out var trait))
        {
            return condition.Operator == "IS_NOT_SET";
        }
        var value = condition.Value ?? "";
        if (value.EndsWith(":semver", StringComparison.Ordinal))
        {
            var order = Version.Parse((string)trait).CompareTo(Version.Parse(value[..^":semver".Length]));
            return Compare(condition.Operator, order);
        }
        return condition.Operator switch
        {
            "IS_SET" => true,
            "IS_NOT_SET" => false,
            "REGEX" => false, // reported by the export as unmappable, written as never matching
            "EQUAL" => EqualTo(trait, value),
            "NOT_EQUAL" => !EqualTo(trait, value),
            "CONTAINS" => Text(trait).Contains(value, StringComparison.Ordinal),
            "NOT_CONTAINS" => !Text(trait).Contains(value, StringComparison.Ordinal),
            "IN" => value.Split(',').Contains(Text(trait)),
            "MODULO" => trait is long n && n % long.Parse(value.Split('|')[0], CultureInfo.InvariantCulture) == long.Parse(value.Split('|')[1], CultureInfo.InvariantCulture),
            _ => trait is string s
                ? Compare(condition.Operator, string.CompareOrdinal(s, value))
                : Compare(condition.Operator, Convert.ToDouble(trait, CultureInfo.InvariantCulture).CompareTo(double.Parse(value, CultureInfo.InvariantCulture))),
        };
    }

    private static bool EqualTo(object trait, string value) => trait switch
    {
        bool b => value == (b ? "true" : "false"),
        string s => s == value,
        _ => double.TryParse(value, CultureInfo.InvariantCulture, out var number) && Convert.ToDouble(trait, CultureInfo.InvariantCulture) == number,
    };

    private static string Text(object trait) => Convert.ToString(trait, CultureInfo.InvariantCulture)!;

    private static bool Compare(string op, int order) => op switch
    {
        "EQUAL" => order == 0,
        "NOT_EQUAL" => order != 0,
        "GREATER_THAN" => order > 0,
        "GREATER_THAN_INCLUSIVE" => order >= 0,
        "LESS_THAN" => order < 0,
        "LESS_THAN_INCLUSIVE" => order <= 0,
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
    };
}
