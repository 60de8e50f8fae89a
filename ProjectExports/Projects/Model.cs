namespace ProjectExports.Projects;

// The project's configuration, shaped like Flagsmith's models. Each type's JSON form (snake_case,
// ProjectJsonContext) is its "own serialization": storage keeps it whole, and exports take it minus
// an explicit exclusion list (Exports/ExportContract.cs), so a property added here flows into exports.
// References between entities are ids; exports turn them into names.

public sealed class Project
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
}

public sealed class Tag
{
    public string Id { get; set; } = "";
    public Guid Uuid { get; set; }
    public string Project { get; set; } = "";
    public string Label { get; set; } = "";
    public string Color { get; set; } = "#3d4db6";
    public string? Description { get; set; }
    public bool IsPermanent { get; set; }
    public bool IsSystemTag { get; set; }
    public string Type { get; set; } = "NONE";
}

public sealed class Segment
{
    public string Id { get; set; } = "";
    public Guid Uuid { get; set; }
    public string Project { get; set; } = "";
    public string Name { get; set; } = "";
    public string? Description { get; set; }
    public List<SegmentRule> Rules { get; set; } = [];
    /// <summary>Set when the segment belongs to one feature only (Flagsmith's feature-specific segments).</summary>
    public string? Feature { get; set; }
    public string? VersionOf { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public Dictionary<string, string>? Metadata { get; set; }
}

public sealed class SegmentRule
{
    /// <summary>ALL, ANY or NONE.</summary>
    public string Type { get; set; } = "ALL";
    public List<SegmentRule> Rules { get; set; } = [];
    public List<SegmentCondition> Conditions { get; set; } = [];
}

public sealed class SegmentCondition
{
    public string Operator { get; set; } = "EQUAL";
    // Flagsmith's serializer spells the field "property_" (property is a Python builtin).
    [System.Text.Json.Serialization.JsonPropertyName("property_")]
    public string? Property { get; set; }
    public string? Value { get; set; }
    public string? Description { get; set; }
}

public sealed class Feature
{
    public string Id { get; set; } = "";
    public Guid Uuid { get; set; }
    public string Project { get; set; } = "";
    public string Name { get; set; } = "";
    /// <summary>STANDARD or MULTIVARIATE.</summary>
    public string Type { get; set; } = "STANDARD";
    public bool DefaultEnabled { get; set; }
    public string? InitialValue { get; set; }
    public string? Description { get; set; }
    public bool IsServerKeyOnly { get; set; }
    /// <summary>Ids of the project's tags.</summary>
    public List<string> Tags { get; set; } = [];
    public List<MultivariateFeatureOption> MultivariateOptions { get; set; } = [];
    public DateTimeOffset CreatedDate { get; set; }
    public List<string> Owners { get; set; } = [];
    public List<string> GroupOwners { get; set; } = [];
    public bool IsArchived { get; set; }
}

public sealed class MultivariateFeatureOption
{
    public string Id { get; set; } = "";
    /// <summary>unicode, int or bool, like a feature state value.</summary>
    public string Type { get; set; } = "unicode";
    public string? StringValue { get; set; }
    public long? IntegerValue { get; set; }
    public bool? BooleanValue { get; set; }
    public double DefaultPercentageAllocation { get; set; }
}

public sealed class ProjectEnvironment
{
    public string Id { get; set; } = "";
    public Guid Uuid { get; set; }
    public string Project { get; set; } = "";
    public string Name { get; set; } = "";
    public string? Description { get; set; }
    public string ApiKey { get; set; } = "";
    public bool AllowClientTraits { get; set; } = true;
    public bool? HideDisabledFlags { get; set; }
    public bool HideSensitiveData { get; set; }
    public string? BannerText { get; set; }
    public string? BannerColour { get; set; }
    public int? MinimumChangeRequestApprovals { get; set; }
    public bool UseIdentityCompositeKeyForHashing { get; set; } = true;
    public bool UseIdentityOverridesInLocalEval { get; set; }
    public bool UseV2FeatureVersioning { get; set; }
    public bool IsCreating { get; set; }
    public bool WebhooksEnabled { get; set; }
    public string? WebhookUrl { get; set; }
    public DateTimeOffset CreatedDate { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

public sealed class FeatureStateValue
{
    /// <summary>unicode, int or bool; the matching *_value property holds the value.</summary>
    public string Type { get; set; } = "unicode";
    public string? StringValue { get; set; }
    public long? IntegerValue { get; set; }
    public bool? BooleanValue { get; set; }
}

public sealed class MultivariateFeatureStateValue
{
    public string Id { get; set; } = "";
    /// <summary>Id of one of the feature's multivariate options.</summary>
    public string MultivariateFeatureOption { get; set; } = "";
    public double PercentageAllocation { get; set; }
}

public sealed class FeatureState
{
    public string Id { get; set; } = "";
    /// <summary>Id of the feature.</summary>
    public string Feature { get; set; } = "";
    public string Environment { get; set; } = "";
    public bool Enabled { get; set; }
    public FeatureStateValue FeatureStateValue { get; set; } = new();
    public List<MultivariateFeatureStateValue> MultivariateFeatureStateValues { get; set; } = [];
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>A segment override: the feature's state for members of a segment, in priority order.</summary>
public sealed class FeatureSegment
{
    public string Id { get; set; } = "";
    public string Feature { get; set; } = "";
    public string Segment { get; set; } = "";
    public string Environment { get; set; } = "";
    public int Priority { get; set; }
    public FeatureState FeatureState { get; set; } = new();
}

public sealed class IdentityOverride
{
    public string Identifier { get; set; } = "";
    public string Environment { get; set; } = "";
    public FeatureState FeatureState { get; set; } = new();
}
