using System.Globalization;
using System.Text.Json.Nodes;
using ProjectExports.Projects;
using static ProjectExports.Exports.Flagd.FlagdLogic;

namespace ProjectExports.Exports.Flagd;

/// <summary>A segment override to write: the override and the <c>$evaluators</c> key of its segment.</summary>
internal sealed record FlagdSegmentOverride(FeatureSegment Override, string SegmentName, string EvaluatorKey);

/// <summary>
/// One feature in one environment as a flagd flag. Targeting tries identity overrides (on targetingKey), then segment
/// overrides in priority order, then the environment's own state, as Flagsmith does. A feature with no value anywhere
/// is a boolean flag whose variants "on"/"off" are the enabled switch; any other serves its values, and where Flagsmith
/// has the feature disabled (or has no value) targeting answers null, so the caller's default is served.
/// </summary>
internal sealed class FlagdFlagBuilder(Feature feature, ICollection<FidelityItem> fidelity)
{
    /// <summary>Percentages become integer weights out of 10,000: hundredths of a percent.</summary>
    private const long Buckets = 10_000;
    private const string Control = "control";
    private const string On = "on";
    private const string Off = "off";

    private readonly List<(string Name, FlagdValue Value)> _variants = [];
    private bool _toggle;

    private string Key => feature.Name;

    public JsonObject Build(FeatureState environment, IReadOnlyList<FlagdSegmentOverride> segments, IReadOnlyList<IdentityOverride> identities)
    {
        var control = FlagdValue.Of(environment.FeatureStateValue);
        var options = feature.MultivariateOptions.Select(FlagdValue.Of).ToList();
        var values = new[] { control }.Concat(options)
            .Concat(segments.Select(s => FlagdValue.Of(s.Override.FeatureState.FeatureStateValue)))
            .Concat(identities.Select(i => FlagdValue.Of(i.FeatureState.FeatureStateValue))).ToList();
        _toggle = values.All(v => v.Kind == FlagdValueKind.None);
        var kind = _toggle ? FlagdValueKind.Boolean : FlagKind(values);
        if (!_toggle)
        {
            // The control value and each option keep a variant of their own, even when another holds the same value.
            AddVariant(control, Control);
            for (var i = 0; i < options.Count; i++)
            {
                AddVariant(options[i], OptionVariant(i));
            }
        }

        var branches = new List<(JsonNode Condition, JsonNode? Outcome)>();
        foreach (var group in identities.GroupBy(i => Outcome(i.FeatureState, Variant(FlagdValue.Of(i.FeatureState.FeatureStateValue), "identity:" + i.Identifier), allocations: false)?.ToJsonString() ?? "null"))
        {
            var keys = new JsonArray(group.Select(i => (JsonNode)JsonValue.Create(i.Identifier)).ToArray());
            branches.Add((Op("in", TargetingKey(), keys), JsonNode.Parse(group.Key)));
        }
        foreach (var segment in segments)
        {
            var state = segment.Override.FeatureState;
            var outcome = Outcome(state, Variant(FlagdValue.Of(state.FeatureStateValue), "segment:" + segment.SegmentName), allocations: true);
            branches.Add((new JsonObject { ["$ref"] = segment.EvaluatorKey }, outcome));
        }
        var environmentOutcome = Outcome(environment, _toggle ? null : VariantNamed(Control), allocations: true);

        var flag = new JsonObject();
        var anyEnabled = _toggle || environment.Enabled || segments.Any(s => s.Override.FeatureState.Enabled) || identities.Any(i => i.FeatureState.Enabled);
        if (!anyEnabled)
        {
            // Disabled everywhere: flagd answers DISABLED without evaluating anything.
            flag["state"] = "DISABLED";
            flag["defaultVariant"] = VariantNamed(Control);
        }
        else if (environmentOutcome is JsonValue plain && branches.All(b => b.Outcome is not null))
        {
            flag["state"] = "ENABLED";
            flag["defaultVariant"] = plain.GetValue<string>();
            if (branches.Count > 0)
            {
                flag["targeting"] = If(branches, otherwise: null);
            }
        }
        else
        {
            // Some context gets no value (disabled, or null in Flagsmith): only a null default variant lets
            // targeting answer "none", so the environment's own outcome becomes targeting's last branch.
            flag["state"] = "ENABLED";
            flag["defaultVariant"] = null;
            if (branches.Count > 0)
            {
                flag["targeting"] = If(branches, environmentOutcome);
            }
            else if (environmentOutcome is JsonObject expression)
            {
                flag["targeting"] = expression;
            }
        }
        flag["variants"] = _toggle
            ? new JsonObject { [On] = true, [Off] = false }
            : new JsonObject(_variants.Select(v => KeyValuePair.Create(v.Name, (JsonNode?)v.Value.ToJson(kind))));
        if (!string.IsNullOrEmpty(feature.Description))
        {
            flag["metadata"] = new JsonObject { ["description"] = feature.Description };
        }
        return flag;
    }

    public static string OptionVariant(int index) => "option_" + index.ToString(CultureInfo.InvariantCulture);

    private static JsonObject If(List<(JsonNode Condition, JsonNode? Outcome)> branches, JsonNode? otherwise)
    {
        var arguments = new JsonArray();
        foreach (var (condition, outcome) in branches)
        {
            arguments.Add(condition);
            arguments.Add(outcome);
        }
        if (otherwise is not null)
        {
            arguments.Add(otherwise);
        }
        return new JsonObject { ["if"] = arguments };
    }

    /// <summary>flagd wants every variant of a flag of one type; mixed values are written as text, and reported.</summary>
    private FlagdValueKind FlagKind(List<FlagdValue> values)
    {
        var kinds = values.Where(v => v.Kind != FlagdValueKind.None).Select(v => v.Kind).Distinct().Order().ToList();
        if (kinds.Count == 1)
        {
            return kinds[0];
        }
        fidelity.Add(new FidelityItem(FidelityItem.Pointer("flags", Key, "variants"),
            $"Feature '{Key}' has values of several types ({string.Join(", ", kinds.Select(k => k.ToString().ToLowerInvariant()))}); flagd wants one type per flag, so every value is written as text."));
        return FlagdValueKind.String;
    }

    /// <summary>
    /// What a state serves: "on"/"off" for a boolean flag; otherwise null when disabled or without a value, its value's
    /// variant, or with percentage allocations a <c>fractional</c> split over the options and that variant (for an
    /// identity: without a targeting key Flagsmith serves the state's own value, and so does the split).
    /// </summary>
    private JsonNode? Outcome(FeatureState state, string? variant, bool allocations)
    {
        if (_toggle)
        {
            return state.Enabled ? On : Off;
        }
        if (!state.Enabled)
        {
            return null;
        }
        var buckets = allocations ? Allocation(state, variant) : null;
        if (buckets is null)
        {
            return variant is null ? null : JsonValue.Create(variant);
        }
        return Op("if", TargetingKey(), new JsonObject { ["fractional"] = buckets }, variant is null ? null : JsonValue.Create(variant));
    }

    /// <summary>
    /// Flagsmith walks the options in order, each taking its percentage of identities, the rest getting the state's
    /// own value, and stops at 100 %. Null when no option takes any share.
    /// </summary>
    private JsonArray? Allocation(FeatureState state, string? variant)
    {
        var indexes = feature.MultivariateOptions.Select((o, i) => (o.Id, i)).ToDictionary(p => p.Id, p => p.i, StringComparer.Ordinal);
        var buckets = new JsonArray();
        long used = 0;
        foreach (var (index, percent) in state.MultivariateFeatureStateValues
            .Where(v => indexes.ContainsKey(v.MultivariateFeatureOption))
            .Select(v => (Index: indexes[v.MultivariateFeatureOption], v.PercentageAllocation)).OrderBy(v => v.Index))
        {
            var exact = percent * 100;
            var weight = (long)Math.Clamp(Math.Round(exact, MidpointRounding.AwayFromZero), 0, Buckets - used);
            if (Math.Abs(exact - Math.Round(exact)) > 1e-6)
            {
                fidelity.Add(new FidelityItem(FidelityItem.Pointer("flags", Key, "targeting"),
                    $"Feature '{Key}': the allocation of {percent.ToString(CultureInfo.InvariantCulture)} % to option {index} is rounded to hundredths of a percent, flagd's weights being whole numbers."));
            }
            if (weight > 0)
            {
                buckets.Add(new JsonArray(VariantNamed(OptionVariant(index)), weight));
                used += weight;
            }
        }
        if (used == 0)
        {
            return null;
        }
        if (used < Buckets)
        {
            buckets.Add(new JsonArray(variant, Buckets - used));
        }
        return buckets;
    }

    /// <summary>The variant of an override's value: null for none, else the first variant holding that very value, else a new one.</summary>
    private string? Variant(FlagdValue value, string name)
    {
        if (value.Kind == FlagdValueKind.None)
        {
            return null;
        }
        foreach (var variant in _variants)
        {
            if (variant.Value == value)
            {
                return variant.Name;
            }
        }
        return AddVariant(value, name);
    }

    private string? AddVariant(FlagdValue value, string name)
    {
        if (value.Kind == FlagdValueKind.None)
        {
            return null;
        }
        var unique = VariantName(name);
        _variants.Add((unique, value));
        return unique;
    }

    private string? VariantNamed(string name) => _variants.Any(v => v.Name == name) ? name : null;

    /// <summary>flagd's schema wants names matching ^.{1,}$ (no line breaks) and each name once.</summary>
    private string VariantName(string name)
    {
        var clean = FlagdNames.WithoutLineBreaks(name);
        var unique = clean;
        for (var n = 2; _variants.Any(v => v.Name == unique); n++)
        {
            unique = $"{clean} #{n.ToString(CultureInfo.InvariantCulture)}";
        }
        return unique;
    }
}
