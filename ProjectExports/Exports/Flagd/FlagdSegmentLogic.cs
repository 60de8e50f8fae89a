using System.Globalization;
using System.Text.Json.Nodes;
using ProjectExports.Projects;
using static ProjectExports.Exports.Flagd.FlagdLogic;

namespace ProjectExports.Exports.Flagd;

/// <summary>
/// A segment's rules as one JSONLogic expression, with Flagsmith's meaning: a segment with no rules matches nobody;
/// a rule matches when its conditions do (ALL: every one, ANY: one, NONE: none) and so do all its nested rules; a
/// condition on a trait the context lacks never matches, except IS_NOT_SET. A condition flagd cannot check is
/// written as false and reported.
/// </summary>
internal sealed class FlagdSegmentLogic(Segment segment, string pointer, ICollection<FidelityItem> fidelity)
{
    private const string SemverSuffix = ":semver";

    /// <summary>Flagsmith's comparison operators and their JSONLogic and sem_ver spellings.</summary>
    private static readonly Dictionary<string, (string Logic, string SemVer)> Comparisons = new(StringComparer.Ordinal)
    {
        ["EQUAL"] = ("==", "="), ["NOT_EQUAL"] = ("!=", "!="),
        ["GREATER_THAN"] = (">", ">"), ["GREATER_THAN_INCLUSIVE"] = (">=", ">="),
        ["LESS_THAN"] = ("<", "<"), ["LESS_THAN_INCLUSIVE"] = ("<=", "<="),
    };

    public JsonObject Build() =>
        segment.Rules.Count == 0 ? Constant(false) : AllOf(segment.Rules.Select((rule, i) => Rule(rule, $"rules[{i}]")).ToList<JsonNode>());

    private JsonObject Rule(SegmentRule rule, string where)
    {
        var parts = new List<JsonNode>();
        if (rule.Conditions.Count > 0)
        {
            var conditions = rule.Conditions.Select((c, i) => (JsonNode)Condition(c, $"{where}.conditions[{i}]")).ToArray();
            parts.Add(rule.Type switch
            {
                "ALL" => Op("and", conditions),
                "ANY" => Op("or", conditions),
                "NONE" => Not(Op("or", conditions)),
                _ => Unmapped(where, $"rule type '{rule.Type}' is none of ALL, ANY, NONE"),
            });
        }
        parts.AddRange(rule.Rules.Select((nested, i) => Rule(nested, $"{where}.rules[{i}]")));
        return AllOf(parts);
    }

    private JsonObject Condition(SegmentCondition condition, string where)
    {
        var op = condition.Operator;
        var value = condition.Value;
        if (op == "PERCENTAGE_SPLIT")
        {
            return PercentageSplit(value, where);
        }
        if (string.IsNullOrEmpty(condition.Property))
        {
            return Unmapped(where, $"{op} names no trait");
        }
        var trait = condition.Property;
        switch (op)
        {
            case "IS_SET": return Op("!=", Var(trait), null);
            case "IS_NOT_SET": return Op("==", Var(trait), null);
            case "REGEX": return Unmapped(where, $"REGEX on '{trait}': flagd's targeting has no regular-expression operation");
        }
        if (value is null)
        {
            return Unmapped(where, $"{op} on '{trait}' has no value");
        }
        if (Comparisons.TryGetValue(op, out var comparison))
        {
            if (value.EndsWith(SemverSuffix, StringComparison.Ordinal))
            {
                return Present(trait, Op("sem_ver", Var(trait), comparison.SemVer, value[..^SemverSuffix.Length]));
            }
            return op switch
            {
                "EQUAL" => Present(trait, Equal(trait, value)),
                "NOT_EQUAL" => Present(trait, Not(Equal(trait, value))),
                _ => Present(trait, Op(comparison.Logic, Var(trait), NumberOrString(value))),
            };
        }
        return op switch
        {
            // "cat" turns a number into text, where a bare "in" would fail the whole evaluation.
            "CONTAINS" => Present(trait, Op("in", value, Op("cat", Var(trait)))),
            "NOT_CONTAINS" => Present(trait, Not(Op("in", value, Op("cat", Var(trait))))),
            "IN" => Op("in", Var(trait), InList(value)),
            "MODULO" => Modulo(trait, value, where),
            _ => Unmapped(where, $"operator '{op}' on '{trait}' is unknown"),
        };
    }

    /// <summary>JSONLogic's "==" coerces numbers ("5" == 5) but not booleans, so "true" and "false" also match the boolean.</summary>
    private static JsonObject Equal(string trait, string value) => value switch
    {
        "true" or "false" => Op("in", Var(trait), new JsonArray(value, value == "true")),
        _ => Op("==", Var(trait), value),
    };

    /// <summary>Flagsmith's IN compares the trait as text with each comma-separated item; a number trait matches a numeric item.</summary>
    private static JsonArray InList(string value)
    {
        var items = new JsonArray();
        foreach (var item in value.Split(','))
        {
            items.Add(item);
            if (long.TryParse(item, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
            {
                items.Add(number);
            }
        }
        return items;
    }

    /// <summary>"divisor|remainder": the trait divided by divisor leaves remainder.</summary>
    private JsonObject Modulo(string trait, string value, string where)
    {
        var parts = value.Split('|');
        if (parts.Length == 2 && TryNumber(parts[0], out var divisor) && divisor != 0 && TryNumber(parts[1], out var remainder))
        {
            return Present(trait, Op("==", Op("%", Var(trait), divisor), remainder));
        }
        return Unmapped(where, $"MODULO on '{trait}' wants 'divisor|remainder', not '{value}'");
    }

    /// <summary>
    /// Flagsmith puts an identity in the split when its hashed percentage is below the value. flagd's fractional
    /// hashes the segment's name with the targeting key into 10,000 buckets: the same share of identities,
    /// not the same identities. Without a targeting key there is no identity to place, so no match.
    /// </summary>
    private JsonObject PercentageSplit(string? value, string where)
    {
        if (!TryNumber(value, out var percent))
        {
            return Unmapped(where, $"PERCENTAGE_SPLIT wants a number, not '{value}'");
        }
        var inside = (long)Math.Clamp(Math.Round(percent * 100, MidpointRounding.AwayFromZero), 0, 10_000);
        var bucketBy = Op("cat", segment.Name, TargetingKey());
        var split = Op("fractional", bucketBy, new JsonArray("in", inside), new JsonArray("out", 10_000 - inside));
        return Op("and", Op("!=", TargetingKey(), null), Op("==", split, "in"));
    }

    /// <summary>Flagsmith never matches a condition on a missing trait (JSONLogic would compare null).</summary>
    private static JsonObject Present(string trait, JsonObject condition) => Op("and", Op("!=", Var(trait), null), condition);

    private static JsonNode NumberOrString(string value) =>
        TryNumber(value, out var number) ? JsonValue.Create(number) : JsonValue.Create(value);

    private static bool TryNumber(string? text, out double number) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out number) && double.IsFinite(number);

    private JsonObject Unmapped(string where, string what)
    {
        fidelity.Add(new FidelityItem(pointer, $"Segment '{segment.Name}', {where}: {what}; written as false, so it never matches."));
        return Constant(false);
    }
}
