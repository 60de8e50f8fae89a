using ProjectExports.Projects;

namespace ProjectExports.Tests.Exports.Flagd;

/// <summary>
/// A project that exercises every mapping of the flagd export: one segment per operator (and nested ANY/NONE rules,
/// a percentage split, a segment with no rules, an unmappable REGEX), boolean toggles, text, number and boolean
/// values, multivariate allocations in the environment and in a segment override, identity overrides that enable,
/// disable or reuse a value, priorities, mixed value types and an allocation flagd must round.
/// </summary>
public static class FlagdTestProject
{
    /// <summary>The segments the "probe" feature overrides that a context can reach (each one's override serves its name).</summary>
    public static readonly string[] OperatorSegments =
    [
        "beta", "big_account", "op_gte", "op_lt", "op_lte", "op_ne", "op_contains", "op_not_contains", "op_in",
        "op_is_set", "op_modulo", "op_semver", "op_bool", "nested", "split_40", "op_is_not_set",
    ];

    public static ProjectSnapshot Create(string projectId)
    {
        var segments = new List<Segment>
        {
            Segment("beta", All(Condition("EQUAL", "plan", "beta"))),
            Segment("big_account", All(Condition("GREATER_THAN", "seats", "10"))),
            Segment("op_gte", All(Condition("GREATER_THAN_INCLUSIVE", "score", "50"))),
            Segment("op_lt", All(Condition("LESS_THAN", "age", "18"))),
            Segment("op_lte", All(Condition("LESS_THAN_INCLUSIVE", "age", "21"))),
            Segment("op_ne", All(Condition("NOT_EQUAL", "region", "eu"))),
            Segment("op_contains", All(Condition("CONTAINS", "email", "@ops."))),
            Segment("op_not_contains", All(Condition("NOT_CONTAINS", "email", "example"))),
            Segment("op_in", All(Condition("IN", "country", "NL,BE,42"))),
            Segment("op_is_set", All(Condition("IS_SET", "vip", null))),
            Segment("op_modulo", All(Condition("MODULO", "user_no", "3|1"))),
            Segment("op_semver", All(Condition("GREATER_THAN_INCLUSIVE", "app_version", "2.1.0:semver"))),
            Segment("op_bool", All(Condition("EQUAL", "newsletter", "true"))),
            Segment("nested", new SegmentRule
            {
                Type = "ALL",
                Rules =
                [
                    new SegmentRule { Type = "ANY", Conditions = [Condition("EQUAL", "tier", "gold"), Condition("EQUAL", "tier", "silver")] },
                    new SegmentRule { Type = "NONE", Conditions = [Condition("EQUAL", "banned", "yes")] },
                ],
            }),
            Segment("split_40", All(Condition("PERCENTAGE_SPLIT", null, "40"))),
            Segment("op_is_not_set", All(Condition("IS_NOT_SET", "plan", null))),
            Segment("regex_staff", All(Condition("REGEX", "email", @".*@staff\.example$"))),
            Segment("empty"),
        };
        foreach (var segment in segments)
        {
            segment.Project = projectId;
        }
        string S(string name) => segments.Single(s => s.Name == name).Id;

        var features = new List<Feature>
        {
            Feature("probe", "Which segment a context falls in"),
            Feature("toggle"), Feature("banner"),
            Feature("checkout", options: [Option("o0", Text("a")), Option("o1", Text("b"))]),
            Feature("limit"), Feature("dark"), Feature("late"), Feature("mixed"),
            Feature("rounded", options: [Option("r0", Text("x"))]),
            Feature("archived_one", archived: true), Feature("bools"),
        };
        string F(string name) => features.Single(f => f.Name == name).Id;

        var production = new EnvironmentSnapshot { Environment = new ProjectEnvironment { Id = "e-prod", Project = projectId, Name = "Production" } };
        void State(string feature, bool enabled, FeatureStateValue value, params (string Option, double Percent)[] allocations) =>
            production.FeatureStates.Add(Make(F(feature), enabled, value, allocations));
        void Segmented(string feature, string segment, int priority, bool enabled, FeatureStateValue value, params (string Option, double Percent)[] allocations) =>
            production.FeatureSegments.Add(new FeatureSegment
            {
                Id = $"so-{feature}-{segment}", Feature = F(feature), Segment = S(segment), Environment = "e-prod", Priority = priority,
                FeatureState = Make(F(feature), enabled, value, allocations),
            });
        void Identity(string identifier, string feature, bool enabled, FeatureStateValue value) =>
            production.IdentityOverrides.Add(new IdentityOverride { Identifier = identifier, Environment = "e-prod", FeatureState = Make(F(feature), enabled, value, []) });

        State("probe", true, Text("control-probe"));
        Segmented("probe", "regex_staff", 0, true, Text("regex_staff"));
        Segmented("probe", "empty", 0, true, Text("empty"));
        for (var i = 0; i < OperatorSegments.Length - 1; i++)
        {
            Segmented("probe", OperatorSegments[i], i + 1, true, Text(OperatorSegments[i]));
        }
        Segmented("probe", "op_is_not_set", 100, true, Text("op_is_not_set"));

        State("toggle", false, None());
        Segmented("toggle", "beta", 0, true, None());
        Identity("alice", "toggle", false, None());
        Identity("bob", "toggle", true, None());

        State("banner", true, Text("default"));
        Segmented("banner", "beta", 0, false, Text("beta-banner"));
        Segmented("banner", "big_account", 1, true, Text("big"));
        Identity("alice", "banner", true, Text("alice banner"));
        Identity("bob", "banner", true, Text("default"));
        Identity("dave", "banner", false, Text("x-dave"));

        State("checkout", true, Text("ctl"), ("o0", 30), ("o1", 20));
        Segmented("checkout", "big_account", 0, true, Text("big-ctl"), ("o0", 0), ("o1", 60));
        Identity("carol", "checkout", true, Text("carol-only"));

        State("limit", true, Number(10));
        Segmented("limit", "op_modulo", 0, true, Number(20));
        Identity("alice", "limit", true, Number(99));

        State("dark", false, Bool(true));
        State("late", false, Text("off-value"));
        Segmented("late", "beta", 0, true, Text("beta-value"));
        State("mixed", true, Text("1"));
        Segmented("mixed", "beta", 0, true, Number(2));
        State("rounded", true, Text("y"), ("r0", 33.333));
        State("archived_one", true, Text("gone"));
        State("bools", true, Bool(false));
        Segmented("bools", "split_40", 0, true, Bool(true));

        // Another environment with other states: only Production may reach the file.
        var staging = new EnvironmentSnapshot { Environment = new ProjectEnvironment { Id = "e-staging", Project = projectId, Name = "Staging" } };
        staging.FeatureStates.AddRange(features.Select(f => Make(f.Id, true, Text("staging-" + f.Name), [])));
        staging.FeatureSegments.Add(new FeatureSegment { Id = "so-staging", Feature = F("probe"), Segment = S("beta"), Environment = "e-staging", FeatureState = Make(F("probe"), true, Text("staging-beta"), []) });

        foreach (var feature in features)
        {
            feature.Project = projectId;
        }
        return new ProjectSnapshot
        {
            Project = new Project { Id = projectId, Name = "flagd mapping" },
            Segments = segments,
            Features = features,
            Environments = [production, staging],
        };
    }

    private static Segment Segment(string name, params SegmentRule[] rules) => new() { Id = "s-" + name, Name = name, Rules = [.. rules] };

    private static SegmentRule All(params SegmentCondition[] conditions) => new() { Type = "ALL", Conditions = [.. conditions] };

    private static SegmentCondition Condition(string op, string? property, string? value) => new() { Operator = op, Property = property, Value = value };

    private static Feature Feature(string name, string? description = null, List<MultivariateFeatureOption>? options = null, bool archived = false) => new()
    {
        Id = "f-" + name, Name = name, Description = description, Type = options is null ? "STANDARD" : "MULTIVARIATE",
        MultivariateOptions = options ?? [], IsArchived = archived,
    };

    private static MultivariateFeatureOption Option(string id, FeatureStateValue value) => new()
    {
        Id = id, Type = value.Type, StringValue = value.StringValue, IntegerValue = value.IntegerValue, BooleanValue = value.BooleanValue,
    };

    private static FeatureState Make(string feature, bool enabled, FeatureStateValue value, (string Option, double Percent)[] allocations) => new()
    {
        Id = $"fs-{feature}-{Guid.NewGuid():N}", Feature = feature, Enabled = enabled, FeatureStateValue = value,
        MultivariateFeatureStateValues = allocations.Select(a => new MultivariateFeatureStateValue { Id = "mv-" + a.Option, MultivariateFeatureOption = a.Option, PercentageAllocation = a.Percent }).ToList(),
    };

    private static FeatureStateValue Text(string text) => new() { Type = "unicode", StringValue = text };

    private static FeatureStateValue Number(long number) => new() { Type = "int", IntegerValue = number };

    private static FeatureStateValue Bool(bool value) => new() { Type = "bool", BooleanValue = value };

    private static FeatureStateValue None() => new() { Type = "unicode" };
}
