using System.Text.Json;
using System.Text.Json.Nodes;
using ProjectExports.Exports;
using ProjectExports.Projects;
using ProjectExports.Tests.Infrastructure;

namespace ProjectExports.Tests.Exports;

/// <summary>
/// Exclude, never include: for every exported type, the exported keys are exactly the model's own JSON keys
/// minus that type's exclusion list. A property added to any model therefore appears in exports (and this test
/// fails if export code ever picks properties by name instead). Checked on a real export of a generated
/// project that populates every type.
/// </summary>
public sealed class ExportContractTests(ExportContractTests.SampleFixture sample) : IClassFixture<ExportContractTests.SampleFixture>
{
    public sealed class SampleFixture : LocalHostFixture
    {
        private JsonObject? _document;

        public async Task<JsonObject> DocumentAsync()
        {
            if (_document is null)
            {
                var project = await SeedProjectAsync();
                var record = await ExportAndWaitAsync(project.Project.Id, new { include_tags = true, include_identity_overrides = true });
                _document = JsonNode.Parse(await DownloadAsync(project.Project.Id, record.GetProperty("id").GetString()!))!.AsObject();
            }
            return _document;
        }
    }

    public static TheoryData<Type> ExportedTypes => new(ExportContract.Exclusions.Keys);

    [Theory]
    [MemberData(nameof(ExportedTypes))]
    public async Task Exported_keys_are_the_model_keys_minus_the_exclusions(Type type)
    {
        var modelKeys = ProjectJsonContext.Default.GetTypeInfo(type)!.Properties.Select(p => p.Name).ToHashSet();
        var exported = ExportedObjectsOf(type, await sample.DocumentAsync()).ToList();
        Assert.NotEmpty(exported);

        var expected = modelKeys.Except(ExportContract.Exclusions[type]).ToHashSet();
        Assert.All(exported, o => Assert.Equal(expected.Order(), o.Select(p => p.Key).Order()));
    }

    [Theory]
    [MemberData(nameof(ExportedTypes))]
    public void Exclusions_name_only_properties_the_model_has(Type type)
    {
        var modelKeys = ProjectJsonContext.Default.GetTypeInfo(type)!.Properties.Select(p => p.Name).ToHashSet();
        Assert.Empty(ExportContract.Exclusions[type].Except(modelKeys));
    }

    [Fact]
    public void Every_type_reachable_from_an_exported_entity_is_covered()
    {
        // If a model gains a nested object type, it must get an exclusion entry (even an empty one).
        var covered = ExportContract.Exclusions.Keys.ToHashSet();
        foreach (var type in covered)
        {
            foreach (var property in ProjectJsonContext.Default.GetTypeInfo(type)!.Properties)
            {
                var element = property.PropertyType.IsGenericType ? property.PropertyType.GetGenericArguments().Last() : property.PropertyType;
                if (element.Namespace == typeof(Feature).Namespace && !ExportContract.Exclusions[type].Contains(property.Name))
                {
                    Assert.Contains(element, covered);
                }
            }
        }
    }

    /// <summary>The JSON objects of one type inside a full export of a generated project, found by where they sit.</summary>
    private static IEnumerable<JsonObject> ExportedObjectsOf(Type type, JsonObject document)
    {
        var environments = document["environments"]!.AsArray().Select(e => e!.AsObject()).ToList();
        var states = environments.SelectMany(e => e["feature_states"]!.AsArray()).Select(s => s!.AsObject()).ToList();
        var segmentOverrides = environments.SelectMany(e => e["feature_segments"]!.AsArray()).Select(s => s!.AsObject()).ToList();
        var identityOverrides = environments.SelectMany(e => e["identity_overrides"]!.AsArray()).Select(s => s!.AsObject()).ToList();
        var allStates = states.Concat(segmentOverrides.Select(s => s["feature_state"]!.AsObject())).Concat(identityOverrides.Select(s => s["feature_state"]!.AsObject())).ToList();
        var segments = document["segments"]!.AsArray().Select(s => s!.AsObject()).ToList();
        var rules = segments.SelectMany(s => Rules(s["rules"]!.AsArray())).ToList();
        var features = document["features"]!.AsArray().Select(f => f!.AsObject()).ToList();

        return type.Name switch
        {
            nameof(Tag) => document["tags"]!.AsArray().Select(t => t!.AsObject()),
            nameof(Segment) => segments,
            nameof(SegmentRule) => rules,
            nameof(SegmentCondition) => rules.SelectMany(r => r["conditions"]!.AsArray()).Select(c => c!.AsObject()),
            nameof(Feature) => features,
            nameof(MultivariateFeatureOption) => features.SelectMany(f => f["multivariate_options"]!.AsArray()).Select(o => o!.AsObject()),
            // The environment's own keys: the nested sections the document adds are not model properties.
            nameof(ProjectEnvironment) => environments.Select(e => new JsonObject(e.Where(p => p.Key is not ("feature_states" or "feature_segments" or "identity_overrides"))
                .Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone())))),
            nameof(FeatureState) => allStates,
            nameof(FeatureStateValue) => allStates.Select(s => s["feature_state_value"]!.AsObject()),
            nameof(MultivariateFeatureStateValue) => allStates.SelectMany(s => s["multivariate_feature_state_values"]!.AsArray()).Select(v => v!.AsObject()),
            nameof(FeatureSegment) => segmentOverrides,
            nameof(IdentityOverride) => identityOverrides,
            _ => throw new InvalidOperationException($"No sample location for {type.Name}: add one here."),
        };
    }

    private static IEnumerable<JsonObject> Rules(JsonArray rules) =>
        rules.Select(r => r!.AsObject()).SelectMany(r => Rules(r["rules"]!.AsArray()).Prepend(r));
}
