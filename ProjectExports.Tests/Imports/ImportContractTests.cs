using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using ProjectExports.Imports;
using ProjectExports.Projects;
using ProjectExports.Tests.Exports;

namespace ProjectExports.Tests.Imports;

/// <summary>
/// The mirror of ExportContractTests: every imported type is read through the import contract (the model's own
/// deserialization minus exclusions), so every exported property reaches the model. Each leaf of a real exported
/// entity (nested types included) is changed, the entity is read, and the model must carry every changed value, with
/// references as the document wrote them (resolved here as the planner would). Import code that picked properties by
/// name would fail here as soon as a model gained a property.
/// </summary>
public sealed class ImportContractTests(ExportContractTests.SampleFixture sample) : IClassFixture<ExportContractTests.SampleFixture>
{
    private static readonly string[] References = ["feature", "segment", "tags", "multivariate_feature_option"];

    public static TheoryData<string> ImportedTypes => new(["tag", "segment", "feature", "environment", "feature_state", "feature_segment", "identity_override"]);

    [Theory]
    [MemberData(nameof(ImportedTypes))]
    public async Task Every_exported_value_reaches_the_model(string kind)
    {
        var document = await sample.DocumentAsync();
        var source = Sample(document, kind);
        var mutated = source.DeepClone().AsObject();
        Mutate(mutated, TypeOf(kind));
        mutated["id"] = "from-the-document"; // excluded everywhere it exists: the importing project assigns ids

        var model = kind switch
        {
            "tag" => Read(mutated, ProjectJsonContext.Default.Tag),
            "segment" => Read(mutated, ProjectJsonContext.Default.Segment),
            "feature" => Read(mutated, ProjectJsonContext.Default.Feature),
            // Environments are read as the document holds them: settings beside the sections.
            "environment" => Model(Deserialize<ImportDocumentEnvironment>(mutated).Settings, ProjectJsonContext.Default.ProjectEnvironment),
            "feature_state" => Read(mutated, ProjectJsonContext.Default.FeatureState),
            "feature_segment" => Read(mutated, ProjectJsonContext.Default.FeatureSegment),
            _ => Read(mutated, ProjectJsonContext.Default.IdentityOverride),
        };

        var leaves = Leaves(mutated, "").Where(l => l.Path != "/id").ToList();
        Assert.NotEmpty(leaves);
        foreach (var (path, value) in leaves)
        {
            var name = path.Split('/').Last(p => !int.TryParse(p, out _));
            var expected = References.Contains(name) ? JsonValue.Create(Resolved(name, value)) : value;
            Assert.True(JsonNode.DeepEquals(expected, At(model, path)), $"{kind}{path}: expected {expected?.ToJsonString()}, model has {At(model, path)?.ToJsonString()}");
        }
        Assert.NotEqual("from-the-document", (string?)model["id"]);
    }

    [Fact]
    public void A_replaced_entity_keeps_what_the_document_cannot_carry_and_takes_the_rest_from_the_document()
    {
        var existing = new Feature { Id = "f1", Name = "old", Description = "old", Owners = ["u1"], IsArchived = true, CreatedDate = DateTimeOffset.UnixEpoch };
        var imported = new Feature { Name = "new", Description = "new", DefaultEnabled = true };

        ImportContract.KeepExcluded(imported, existing);

        Assert.Equal(("f1", true, DateTimeOffset.UnixEpoch), (imported.Id, imported.IsArchived, imported.CreatedDate));
        Assert.Equal(["u1"], imported.Owners);
        Assert.Equal(("new", "new", true), (imported.Name, imported.Description, imported.DefaultEnabled));
    }

    [Fact]
    public void A_condition_s_property_may_be_spelled_property_and_an_option_is_read_as_its_index()
    {
        var condition = JsonSerializer.Deserialize<SegmentCondition>("""{"operator": "EQUAL", "property": "plan"}""", ImportContract.Options)!;
        var allocation = JsonSerializer.Deserialize<MultivariateFeatureStateValue>("""{"multivariate_feature_option": 2, "percentage_allocation": 5, "id": "x"}""", ImportContract.Options)!;

        Assert.Equal("plan", condition.Property);
        Assert.Equal(("2", 5.0, ""), (allocation.MultivariateFeatureOption, allocation.PercentageAllocation, allocation.Id));
    }

    private static JsonObject Read<T>(JsonObject source, JsonTypeInfo<T> typeInfo) where T : class => Model(Deserialize<T>(source), typeInfo);

    private static T Deserialize<T>(JsonObject source) => (T)source.Deserialize(ImportContract.Options.GetTypeInfo(typeof(T)))!;

    /// <summary>The model in its own serialization, references resolved.</summary>
    private static JsonObject Model<T>(T model, JsonTypeInfo<T> typeInfo)
    {
        var json = JsonSerializer.SerializeToNode(model, typeInfo)!.AsObject();
        ResolveReferences(json);
        return json;
    }

    /// <summary>Stands in for the planner's name-to-id resolution, recursively.</summary>
    private static void ResolveReferences(JsonNode node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, value) in obj.ToList())
                {
                    if (value is JsonValue leaf && References.Contains(name)) obj[name] = Resolved(name, leaf);
                    else if (name == "tags" && value is JsonArray tags) obj[name] = new JsonArray(tags.Select(t => (JsonNode?)Resolved("tags", t)).ToArray());
                    else if (value is not null) ResolveReferences(value);
                }
                break;
            case JsonArray array:
                foreach (var item in array.OfType<JsonNode>()) ResolveReferences(item);
                break;
        }
    }

    private static string Resolved(string reference, JsonNode? value) => $"{reference}-id-{value?.ToJsonString().Trim('"')}";

    private static JsonObject Sample(JsonObject document, string kind)
    {
        var environment = document["environments"]!.AsArray().First(e => e!["feature_segments"]!.AsArray().Count > 0 && e["identity_overrides"]!.AsArray().Count > 0)!.AsObject();
        JsonNode found = kind switch
        {
            "tag" => document["tags"]![0]!,
            "segment" => document["segments"]![0]!,
            "feature" => document["features"]!.AsArray().First(f => f!["multivariate_options"]!.AsArray().Count > 0 && f["tags"]!.AsArray().Count > 0)!,
            "environment" => new JsonObject(environment.Where(p => p.Value is not JsonArray).Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone()))),
            "feature_state" => environment["feature_states"]!.AsArray().First(s => s!["multivariate_feature_state_values"]!.AsArray().Count > 0)!,
            "feature_segment" => environment["feature_segments"]![0]!,
            _ => environment["identity_overrides"]![0]!,
        };
        return found.AsObject();
    }

    private static Type TypeOf(string kind) => kind switch
    {
        "tag" => typeof(Tag),
        "segment" => typeof(Segment),
        "feature" => typeof(Feature),
        "environment" => typeof(ProjectEnvironment),
        "feature_state" => typeof(FeatureState),
        "feature_segment" => typeof(FeatureSegment),
        _ => typeof(IdentityOverride),
    };

    /// <summary>
    /// Changes every leaf to another valid value of its type (references are changed by resolution); a null gets a
    /// value of the model property's type, so nullable properties are covered too.
    /// </summary>
    private static void Mutate(JsonNode node, Type type)
    {
        if (node is JsonArray array)
        {
            foreach (var item in array.OfType<JsonNode>()) Mutate(item, type);
            return;
        }
        var obj = node.AsObject();
        var properties = ProjectJsonContext.Default.GetTypeInfo(type)!.Properties;
        foreach (var (name, value) in obj.ToList())
        {
            if (References.Contains(name)) continue;
            var propertyType = properties.Single(p => p.Name == name).PropertyType;
            propertyType = Nullable.GetUnderlyingType(propertyType) ?? propertyType;
            if (value is null)
            {
                obj[name] = propertyType == typeof(string) ? JsonValue.Create("set~")
                    : propertyType == typeof(bool) ? JsonValue.Create(true)
                    : propertyType == typeof(int) || propertyType == typeof(long) ? JsonValue.Create(7)
                    : throw new InvalidOperationException($"No sample value for a null {propertyType.Name} at {name}; extend the test.");
            }
            else if (value is JsonValue leaf)
            {
                obj[name] = leaf.GetValueKind() switch
                {
                    JsonValueKind.String => JsonValue.Create(leaf.GetValue<string>() + "~"),
                    JsonValueKind.True => JsonValue.Create(false),
                    JsonValueKind.False => JsonValue.Create(true),
                    _ => leaf.TryGetValue(out long whole) ? JsonValue.Create(whole + 1) : JsonValue.Create(leaf.GetValue<double>() / 2),
                };
            }
            else
            {
                Mutate(value, propertyType.IsGenericType ? propertyType.GetGenericArguments()[0] : propertyType);
            }
        }
    }

    private static IEnumerable<(string Path, JsonNode? Value)> Leaves(JsonNode? node, string path) => node switch
    {
        JsonObject obj => obj.SelectMany(p => Leaves(p.Value, $"{path}/{p.Key}")),
        JsonArray array => array.SelectMany((item, i) => Leaves(item, $"{path}/{i}")),
        _ => [(path, node)],
    };

    private static JsonNode? At(JsonNode? node, string path)
    {
        foreach (var part in path.Split('/')[1..])
            node = node is JsonArray array ? array[int.Parse(part)] : node?[part];
        return node;
    }
}
