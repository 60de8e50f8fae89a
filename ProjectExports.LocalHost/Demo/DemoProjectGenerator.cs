using ProjectExports.Projects;

namespace ProjectExports.LocalHost.Demo;

/// <summary>
/// Builds a plausible project deterministically from a seed: same spec and seed, same project. Exercises every
/// part of the model: tags, nested segment rules, multivariate features with allocations, archived features,
/// segment overrides with priorities and identity overrides of several features per identity.
/// </summary>
public static class DemoProjectGenerator
{
    private static readonly string[] Words = ["checkout", "search", "banner", "pricing", "onboarding", "dark_mode", "beta", "api", "cache", "export", "profile", "billing", "mobile", "signup", "legacy", "ai"];
    private static readonly string[] Operators = ["EQUAL", "NOT_EQUAL", "CONTAINS", "GREATER_THAN", "LESS_THAN", "IN", "REGEX", "PERCENTAGE_SPLIT"];
    private static readonly string[] EnvironmentNames = ["Development", "Staging", "Production", "QA", "Preview", "Sandbox", "Demo", "Load test"];

    public static ProjectSnapshot Generate(string projectId, string projectName, DemoProjectSpec spec, int seed = 42)
    {
        var random = new Random(seed);
        var created = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var tags = Enumerable.Range(0, spec.Tags).Select(i => new Tag
        {
            Id = $"t{i}", Uuid = DeterministicGuid(random), Project = projectId, Label = $"{Words[i % Words.Length]}-{i}",
            Color = $"#{random.Next(0x1000000):X6}", Description = i % 3 == 0 ? null : $"Tag {i}", IsPermanent = i % 4 == 0,
        }).ToList();
        var segments = Enumerable.Range(0, spec.Segments).Select(i => new Segment
        {
            Id = $"s{i}", Uuid = DeterministicGuid(random), Project = projectId, Name = $"segment_{Words[i % Words.Length]}_{i}",
            Description = $"Users matching rule set {i}", Rules = [Rule(random, depth: 0)], CreatedAt = created, UpdatedAt = created,
        }).ToList();
        var features = Enumerable.Range(0, spec.Features).Select(i => Feature(random, projectId, i, spec, tags, created)).ToList();

        var snapshot = new ProjectSnapshot
        {
            Project = new Project { Id = projectId, Name = projectName },
            Tags = tags,
            Segments = segments,
            Features = features,
        };
        for (var e = 0; e < spec.Environments; e++)
        {
            snapshot.Environments.Add(Environment(random, projectId, e, spec, features, segments, created));
        }
        return snapshot;
    }

    private static Feature Feature(Random random, string projectId, int i, DemoProjectSpec spec, List<Tag> tags, DateTimeOffset created)
    {
        var multivariate = random.NextDouble() < spec.MultivariateShare;
        var feature = new Feature
        {
            Id = $"f{i}", Uuid = DeterministicGuid(random), Project = projectId,
            Name = $"{Words[i % Words.Length]}_{Words[(i / Words.Length) % Words.Length]}_{i}",
            Type = multivariate ? "MULTIVARIATE" : "STANDARD", DefaultEnabled = random.Next(2) == 0,
            InitialValue = random.Next(3) == 0 ? null : $"value-{random.Next(1000)}",
            Description = $"Controls {Words[random.Next(Words.Length)]} behaviour",
            IsServerKeyOnly = random.Next(10) == 0, CreatedDate = created.AddMinutes(i), Owners = [$"user-{random.Next(50)}"],
            IsArchived = i >= spec.Features - spec.ArchivedFeatures,
        };
        if (tags.Count > 0)
        {
            feature.Tags = Enumerable.Range(0, random.Next(3)).Select(_ => tags[random.Next(tags.Count)].Id).Distinct().ToList();
        }
        if (multivariate)
        {
            var options = random.Next(2, 5);
            feature.MultivariateOptions = Enumerable.Range(0, options).Select(o => new MultivariateFeatureOption
            {
                Id = $"f{i}o{o}", Type = "unicode", StringValue = $"variant-{(char)('a' + o)}", DefaultPercentageAllocation = Math.Floor(100.0 / options),
            }).ToList();
        }
        return feature;
    }

    private static EnvironmentSnapshot Environment(
        Random random, string projectId, int e, DemoProjectSpec spec, List<Feature> features, List<Segment> segments, DateTimeOffset created)
    {
        var environmentId = $"e{e}";
        var environment = new ProjectEnvironment
        {
            Id = environmentId, Uuid = DeterministicGuid(random), Project = projectId,
            Name = e < EnvironmentNames.Length ? EnvironmentNames[e] : $"Environment {e}", Description = $"Environment {e}",
            ApiKey = $"env-key-{random.Next():x8}", HideDisabledFlags = e % 2 == 0 ? null : true, BannerText = e == 2 ? "Production" : null,
            BannerColour = e == 2 ? "#FF0000" : null, MinimumChangeRequestApprovals = e == 2 ? 1 : null, WebhooksEnabled = e == 2,
            WebhookUrl = e == 2 ? "https://hooks.example.com/flags" : null, CreatedDate = created, UpdatedAt = created,
        };
        var result = new EnvironmentSnapshot { Environment = environment };
        result.FeatureStates = features.Select(f => State(random, f, environmentId, created)).ToList();
        if (segments.Count > 0)
        {
            for (var k = 0; k < spec.SegmentOverridesPerEnvironment; k++)
            {
                var feature = features[random.Next(features.Count)];
                result.FeatureSegments.Add(new FeatureSegment
                {
                    Id = $"{environmentId}so{k}", Feature = feature.Id, Segment = segments[random.Next(segments.Count)].Id,
                    Environment = environmentId, Priority = k % 5, FeatureState = State(random, feature, environmentId, created),
                });
            }
        }
        var identities = Math.Max(1, spec.IdentityOverridesPerEnvironment / 3);
        var seen = new HashSet<(int, string)>();
        for (var k = 0; k < spec.IdentityOverridesPerEnvironment; k++)
        {
            var identity = random.Next(identities);
            var feature = features[random.Next(features.Count)];
            if (seen.Add((identity, feature.Id)))
            {
                result.IdentityOverrides.Add(new IdentityOverride
                {
                    Identifier = $"user-{identity}@example.com", Environment = environmentId, FeatureState = State(random, feature, environmentId, created),
                });
            }
        }
        return result;
    }

    private static FeatureState State(Random random, Feature feature, string environmentId, DateTimeOffset created)
    {
        var kind = random.Next(3);
        return new FeatureState
        {
            Id = $"{environmentId}-{feature.Id}-{random.Next():x8}", Feature = feature.Id, Environment = environmentId, Enabled = random.Next(2) == 0,
            FeatureStateValue = kind switch
            {
                0 => new FeatureStateValue { Type = "unicode", StringValue = $"value-{random.Next(1000)}" },
                1 => new FeatureStateValue { Type = "int", IntegerValue = random.Next(10_000) },
                _ => new FeatureStateValue { Type = "bool", BooleanValue = random.Next(2) == 0 },
            },
            MultivariateFeatureStateValues = feature.MultivariateOptions.Select((o, index) => new MultivariateFeatureStateValue
            {
                Id = $"{o.Id}-{environmentId}", MultivariateFeatureOption = o.Id, PercentageAllocation = index == 0 ? 50 : Math.Floor(50.0 / feature.MultivariateOptions.Count),
            }).ToList(),
            CreatedAt = created, UpdatedAt = created,
        };
    }

    private static SegmentRule Rule(Random random, int depth)
    {
        var rule = new SegmentRule { Type = depth == 0 ? "ALL" : random.Next(3) switch { 0 => "ALL", 1 => "ANY", _ => "NONE" } };
        if (depth < 2)
        {
            rule.Rules = Enumerable.Range(0, random.Next(1, 3)).Select(_ => Rule(random, depth + 1)).ToList();
        }
        rule.Conditions = Enumerable.Range(0, depth == 0 ? 0 : random.Next(1, 4)).Select(c => new SegmentCondition
        {
            Operator = Operators[random.Next(Operators.Length)], Property = $"trait_{random.Next(20)}",
            Value = random.Next(5) == 0 ? null : $"{random.Next(100)}", Description = c == 0 ? "first condition" : null,
        }).ToList();
        return rule;
    }

    private static Guid DeterministicGuid(Random random)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        return new Guid(bytes);
    }
}
