using System.Text.Json.Serialization.Metadata;
using ProjectExports.Storage;

namespace ProjectExports.Projects;

/// <summary>Names rows the way people name entities (<see cref="ProjectEntityRef"/>), for answers about rows: conflicts, differences, overwrites.</summary>
public sealed partial class ProjectStore
{
    private const string IdentitiesSuffix = ":identities";

    /// <summary>
    /// Describes each of <paramref name="rows"/> (its JSON, or null when only its key is known). Names of features,
    /// segments and environments come from the project as stored and from <paramref name="known"/> rows (such as a
    /// feature an import created and a revert removed, which the project no longer has); an unknown id stands for itself.
    /// </summary>
    public async Task<List<ProjectEntityRef>> DescribeAsync(
        string projectId, IEnumerable<ProjectRow> rows, IEnumerable<ProjectRow> known, CancellationToken cancellationToken)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        if (await ReadDefinitionsAsync(projectId, cancellationToken).ConfigureAwait(false) is { } definitions)
        {
            foreach (var feature in definitions.Features) names[FeaturePrefix + feature.Id] = feature.Name;
            foreach (var segment in definitions.Segments) names[SegmentPrefix + segment.Id] = segment.Name;
            foreach (var environment in definitions.Environments) names[EnvironmentPrefix + environment.Id] = environment.Name;
        }
        foreach (var row in known.Where(r => r.PartitionKey == projectId && r.Json is not null))
        {
            if (Describe(projectId, row, names) is { Type: "feature" or "segment" or "environment" } described)
                names.TryAdd(row.RowKey, described.Name);
        }
        return rows.Select(r => Describe(projectId, r, names)).ToList();
    }

    /// <summary>The entity type (as in <see cref="ProjectEntityRef.Type"/>) a row holds, from its keys alone.</summary>
    public static string EntityTypeOf(string projectId, ProjectRowKey key) => key switch
    {
        { PartitionKey: var p } when p == projectId => key.RowKey switch
        {
            var r when r.StartsWith(TagPrefix, StringComparison.Ordinal) => "tag",
            var r when r.StartsWith(SegmentPrefix, StringComparison.Ordinal) => "segment",
            var r when r.StartsWith(FeaturePrefix, StringComparison.Ordinal) => "feature",
            var r when r.StartsWith(EnvironmentPrefix, StringComparison.Ordinal) => "environment",
            _ => "project",
        },
        { PartitionKey: var p } when p.EndsWith(IdentitiesSuffix, StringComparison.Ordinal) => "identity_override",
        { RowKey: var r } when r.StartsWith(FeatureStatePrefix, StringComparison.Ordinal) => "feature_state",
        _ => "segment_override",
    };

    private static ProjectEntityRef Describe(string projectId, ProjectRow row, Dictionary<string, string> names)
    {
        var key = row.RowKey;
        if (row.PartitionKey == projectId)
        {
            return key switch
            {
                _ when key.StartsWith(TagPrefix, StringComparison.Ordinal) => new("tag", Decode(row, Json.Tag)?.Label ?? Name(names, key)),
                _ when key.StartsWith(SegmentPrefix, StringComparison.Ordinal) => new("segment", Decode(row, Json.Segment)?.Name ?? Name(names, key)),
                _ when key.StartsWith(FeaturePrefix, StringComparison.Ordinal) => new("feature", Decode(row, Json.Feature)?.Name ?? Name(names, key)),
                _ when key.StartsWith(EnvironmentPrefix, StringComparison.Ordinal) => new("environment", Decode(row, Json.ProjectEnvironment)?.Name ?? Name(names, key)),
                _ => new("project", Decode(row, Json.Project)?.Name ?? key),
            };
        }
        var rest = row.PartitionKey.StartsWith(projectId + ":", StringComparison.Ordinal) ? row.PartitionKey[(projectId.Length + 1)..] : row.PartitionKey;
        if (rest.EndsWith(IdentitiesSuffix, StringComparison.Ordinal))
        {
            var environment = Name(names, EnvironmentPrefix + rest[..^IdentitiesSuffix.Length]);
            return Decode(row, Json.IdentityOverride) is { } identity
                ? new("identity_override", Name(names, FeaturePrefix + identity.FeatureState.Feature), environment, Identifier: identity.Identifier)
                : new("identity_override", key, environment);
        }
        var environmentName = Name(names, EnvironmentPrefix + rest);
        if (key.StartsWith(FeatureStatePrefix, StringComparison.Ordinal))
        {
            return new("feature_state", Name(names, FeaturePrefix + key[FeatureStatePrefix.Length..]), environmentName);
        }
        return Decode(row, Json.FeatureSegment) is { } segmentOverride
            ? new("segment_override", Name(names, FeaturePrefix + segmentOverride.Feature), environmentName, Name(names, SegmentPrefix + segmentOverride.Segment))
            : new("segment_override", key, environmentName);
    }

    /// <summary>The name known for a row key ("feature:{id}"), else the bare id.</summary>
    private static string Name(Dictionary<string, string> names, string rowKey) =>
        names.TryGetValue(rowKey, out var name) ? name : rowKey[(rowKey.IndexOf(':', StringComparison.Ordinal) + 1)..];

    /// <summary>Naming a row must not fail on a row this version cannot read: it is then named by its key.</summary>
    private static T? Decode<T>(ProjectRow row, JsonTypeInfo<T> typeInfo) where T : class
    {
        if (row.Json is null) return null;
        try
        {
            return JsonEntityCodec.FromJson(row.RowKey, row.Json, typeInfo);
        }
        catch (StoredDataException)
        {
            return null;
        }
    }
}
