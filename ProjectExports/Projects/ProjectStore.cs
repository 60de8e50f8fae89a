using Azure;
using Azure.Data.Tables;
using ProjectExports.Storage;

namespace ProjectExports.Projects;

/// <summary>
/// The project's configuration in Table Storage (layout <see cref="LayoutVersion"/>, one table). Logical rows, one per
/// entity, are kept in pages of about 60 KiB (<see cref="PagedPartition"/>), so a big environment is a few dozen
/// entities instead of thousands:
/// <list type="bullet">
/// <item>PartitionKey = projectId: the plain row "project" (which records the layout version) and pages of the rows
/// tag:{id}, segment:{id}, feature:{id} and environment:{id};</item>
/// <item>PartitionKey = projectId:environmentId: pages of that environment's feature states (state:{featureId}) and
/// segment overrides (segment-override:{id});</item>
/// <item>PartitionKey = projectId:environmentId:identities: pages of its identity overrides, keyed hex(identifier)-featureId,
/// so the partition lists them by identifier.</item>
/// </list>
/// An export reads each partition once (pages in key order are rows in key order); environments are independent
/// partitions read in parallel, and identity overrides are only read when asked for. An import rewrites only the
/// pages holding rows it changes.
/// </summary>
public sealed partial class ProjectStore(StorageClients clients, ProjectDirectory directory)
{
    private const string ProjectRow = "project";
    private const string TagPrefix = "tag:";
    private const string SegmentPrefix = "segment:";
    private const string FeaturePrefix = "feature:";
    private const string EnvironmentPrefix = "environment:";
    private const string FeatureStatePrefix = "state:";
    private const string FeatureSegmentPrefix = "segment-override:";
    private const string LayoutProperty = "LayoutVersion";

    /// <summary>Partitions read or written at once: storage latency, not CPU, bounds an import.</summary>
    private const int ParallelPartitions = 8;

    /// <summary>The layout this version reads and writes, recorded on every project row so that a later layout can migrate.</summary>
    public const int LayoutVersion = 2;

    private static ProjectJsonContext Json => ProjectJsonContext.Default;

    private TableClient Table => clients.Tables.GetTableClient(StorageNames.ProjectConfigurationTable);

    public async Task<Project?> GetProjectAsync(string projectId, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(projectId, ProjectRow, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!row.HasValue) return null;
        var layout = row.Value!.GetInt32(LayoutProperty);
        return layout == LayoutVersion
            ? JsonEntityCodec.FromEntity(row.Value!, Json.Project)
            : throw new StoredDataException(
                $"Project '{projectId}' is stored in layout {(layout is { } v ? v.ToString(System.Globalization.CultureInfo.InvariantCulture) : "1 (unversioned)")}; this version reads layout {LayoutVersion}. Migrate the project before using it.");
    }

    /// <summary>Reads the project's own partition: the project, tags, segments, features and environments.</summary>
    public Task<ProjectDefinitions?> ReadDefinitionsAsync(string projectId, CancellationToken cancellationToken) =>
        ReadDefinitionsAsync(projectId, null, cancellationToken);

    /// <inheritdoc cref="ReadDefinitionsAsync(string, CancellationToken)"/>
    /// <param name="environmentsRead">
    /// Told the environments once, as soon as they are read: their rows come first in the partition's key order, so the
    /// caller can start on them while the rest (the features, most of the partition) is still being decoded.
    /// </param>
    public async Task<ProjectDefinitions?> ReadDefinitionsAsync(
        string projectId, Action<IReadOnlyList<ProjectEnvironment>>? environmentsRead, CancellationToken cancellationToken)
    {
        Project? project = null;
        List<Tag> tags = [];
        List<Segment> segments = [];
        List<Feature> features = [];
        List<ProjectEnvironment> environments = [];
        var environmentsTold = false;
        void TellEnvironments()
        {
            environmentsTold = true;
            environmentsRead?.Invoke(environments.ToList());
        }
        await ReadPartitionAsync(projectId, (key, json) =>
        {
            // The first row sorting after every environment row.
            if (!environmentsTold && string.CompareOrdinal(key, EnvironmentPrefix) > 0 && !key.StartsWith(EnvironmentPrefix, StringComparison.Ordinal))
            {
                TellEnvironments();
            }
            if (key == ProjectRow) project = JsonEntityCodec.FromJson(key, json, Json.Project);
            else if (key.StartsWith(TagPrefix, StringComparison.Ordinal)) tags.Add(JsonEntityCodec.FromJson(key, json, Json.Tag));
            else if (key.StartsWith(SegmentPrefix, StringComparison.Ordinal)) segments.Add(JsonEntityCodec.FromJson(key, json, Json.Segment));
            else if (key.StartsWith(FeaturePrefix, StringComparison.Ordinal)) features.Add(JsonEntityCodec.FromJson(key, json, Json.Feature));
            else if (key.StartsWith(EnvironmentPrefix, StringComparison.Ordinal)) environments.Add(JsonEntityCodec.FromJson(key, json, Json.ProjectEnvironment));
        }, cancellationToken).ConfigureAwait(false);
        if (!environmentsTold)
        {
            TellEnvironments();
        }
        return project is null ? null : new ProjectDefinitions(project, tags, segments, features, environments);
    }

    /// <summary>Reads one environment's feature states and segment overrides (one partition).</summary>
    public async Task<EnvironmentStates> ReadEnvironmentStatesAsync(string projectId, string environmentId, CancellationToken cancellationToken)
    {
        List<FeatureState> states = [];
        List<FeatureSegment> overrides = [];
        await ReadEnvironmentRowsAsync(projectId, environmentId,
            (key, json) => states.Add(JsonEntityCodec.FromJson(key, json, Json.FeatureState)),
            (key, json) => overrides.Add(JsonEntityCodec.FromJson(key, json, Json.FeatureSegment)), cancellationToken).ConfigureAwait(false);
        return new EnvironmentStates(states, overrides);
    }

    /// <summary>Hands each feature state and segment override of an environment to its callback as stored JSON, without building models.</summary>
    public Task ReadEnvironmentRowsAsync(
        string projectId, string environmentId, TableRowCallback onFeatureState, TableRowCallback onSegmentOverride, CancellationToken cancellationToken) =>
        ReadPartitionAsync(EnvironmentPartition(projectId, environmentId), (key, json) =>
        {
            if (key.StartsWith(FeatureStatePrefix, StringComparison.Ordinal)) onFeatureState(key, json);
            else if (key.StartsWith(FeatureSegmentPrefix, StringComparison.Ordinal)) onSegmentOverride(key, json);
        }, cancellationToken);

    /// <summary>
    /// Reads one environment's identity overrides ordered by identifier (code-point order), handing them to
    /// <paramref name="deliver"/> a few at a time as they arrive; it must not keep the list.
    /// </summary>
    public Task ReadIdentityOverridesAsync(
        string projectId, string environmentId, Func<List<IdentityOverride>, CancellationToken, ValueTask> deliver, CancellationToken cancellationToken) =>
        ReadIdentityOverridesAsync(projectId, environmentId, static (key, json) => JsonEntityCodec.FromJson(key, json, Json.IdentityOverride), deliver, cancellationToken);

    /// <summary>As <see cref="ReadIdentityOverridesAsync(string, string, Func{List{IdentityOverride}, CancellationToken, ValueTask}, CancellationToken)"/>, each row made into what <paramref name="decode"/> makes of its stored JSON.</summary>
    public Task ReadIdentityOverridesAsync<T>(
        string projectId, string environmentId, TableRowDecoder<T> decode, Func<List<T>, CancellationToken, ValueTask> deliver, CancellationToken cancellationToken)
        where T : class =>
        TableRowReader.ReadAsync(Table, PartitionFilter(IdentityPartition(projectId, environmentId)), decode, deliver, cancellationToken);

    /// <summary>Hands each row of a partition to <paramref name="onRow"/> as it arrives (for readers that keep every row anyway).</summary>
    private Task ReadPartitionAsync(string partitionKey, TableRowCallback onRow, CancellationToken cancellationToken) =>
        TableRowReader.ReadAsync<object>(Table, PartitionFilter(partitionKey), (key, json) =>
        {
            onRow(key, json);
            return null;
        }, static (_, _) => ValueTask.CompletedTask, cancellationToken);

    /// <summary>
    /// Writes (inserts or replaces) every entity of the snapshot. All keys and sizes are checked before the first
    /// write, so data that Table Storage cannot hold fails with a <see cref="StorageLimitException"/> and writes nothing.
    /// </summary>
    public async Task SaveAsync(ProjectSnapshot snapshot, CancellationToken cancellationToken)
    {
        var projectId = TableKeys.RequireId(snapshot.Project.Id, "Project id");
        var rows = ToEntities(snapshot).Select(e => new ProjectRow(e.PartitionKey, e.RowKey, JsonEntityCodec.JsonOf(e))).ToList();
        await Table.UpsertEntityAsync(ProjectEntity(snapshot.Project), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        await WriteRowsAsync(projectId, rows, static (_, _, _) => ValueTask.CompletedTask, cancellationToken).ConfigureAwait(false);
        await directory.RegisterAsync(snapshot.Project, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The plain project row, with the layout its other rows are in.</summary>
    private static TableEntity ProjectEntity(Project project)
    {
        var row = JsonEntityCodec.ToEntity(TableKeys.RequireId(project.Id, "Project id"), ProjectRow, project, Json.Project, $"project '{project.Id}'");
        row[LayoutProperty] = LayoutVersion;
        return row;
    }

    /// <summary>
    /// Creates an empty project unless one of that id exists (the insert is the decision, so two concurrent creates
    /// cannot both win) and lists it in the <see cref="ProjectDirectory"/>. Null when the project already exists.
    /// </summary>
    public async Task<ProjectEntry?> CreateAsync(Project project, CancellationToken cancellationToken)
    {
        try
        {
            await Table.AddEntityAsync(ProjectEntity(project), cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return null;
        }
        return await directory.RegisterAsync(project, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Counts the project's features, segments and environments from the keys in its own partition alone.</summary>
    public async Task<ProjectCounts> CountAsync(string projectId, CancellationToken cancellationToken)
    {
        int features = 0, segments = 0, environments = 0;
        await ReadPartitionAsync(projectId, (key, _) =>
        {
            if (key.StartsWith(FeaturePrefix, StringComparison.Ordinal)) features++;
            else if (key.StartsWith(SegmentPrefix, StringComparison.Ordinal)) segments++;
            else if (key.StartsWith(EnvironmentPrefix, StringComparison.Ordinal)) environments++;
        }, cancellationToken).ConfigureAwait(false);
        return new ProjectCounts(features, segments, environments);
    }

    /// <summary>The entities <paramref name="changes"/> upserts in the project's own partition, built as they are enumerated.</summary>
    private static IEnumerable<(TableEntity Entity, bool Deleted)> OwnEntities(ProjectChanges changes)
    {
        var projectId = TableKeys.RequireId(changes.ProjectId, "Project id");
        var snapshot = new ProjectSnapshot { Tags = changes.Tags, Segments = changes.Segments, Features = changes.Features };
        foreach (var entity in EntitiesOf(projectId, snapshot))
            yield return (entity, false);
        foreach (var env in changes.Environments)
        {
            var environmentId = TableKeys.RequireId(env.EnvironmentId, "Environment id");
            if (env.Settings is { } settings)
                yield return (JsonEntityCodec.ToEntity(projectId, EnvironmentPrefix + environmentId, settings, Json.ProjectEnvironment, $"environment '{settings.Name}'"), false);
        }
    }

    /// <summary>
    /// The entities one environment's data upserts, then those it deletes (keys only), partition by partition: the apply
    /// step reads a partition's stored rows as soon as the plan moves on to the next partition.
    /// </summary>
    private static IEnumerable<(TableEntity Entity, bool Deleted)> EnvironmentEntities(string projectId, EnvironmentChanges env)
    {
        foreach (var entity in StateEntities(projectId, env.EnvironmentId, env.FeatureStates, env.FeatureSegments))
            yield return (entity, false);
        foreach (var id in env.DeletedFeatureSegments)
            yield return (new TableEntity(EnvironmentPartition(projectId, env.EnvironmentId), FeatureSegmentPrefix + TableKeys.RequireId(id, "Segment override id")), true);
        foreach (var entity in IdentityEntities(projectId, env.EnvironmentId, env.IdentityOverrides))
            yield return (entity, false);
        foreach (var key in env.DeletedIdentityOverrides)
            yield return (new TableEntity(IdentityPartition(projectId, env.EnvironmentId),
                IdentityOverrideRowKey(new IdentityOverride { Identifier = key.Identifier, FeatureState = new FeatureState { Feature = key.Feature } })), true);
    }

    private static IEnumerable<TableEntity> ToEntities(ProjectSnapshot snapshot)
    {
        var projectId = TableKeys.RequireId(snapshot.Project.Id, "Project id");
        foreach (var entity in EntitiesOf(projectId, snapshot))
            yield return entity;
        foreach (var env in snapshot.Environments)
        {
            var environmentId = TableKeys.RequireId(env.Environment.Id, "Environment id");
            yield return JsonEntityCodec.ToEntity(projectId, EnvironmentPrefix + environmentId, env.Environment, Json.ProjectEnvironment, $"environment '{env.Environment.Name}'");
            foreach (var entity in StateEntities(projectId, environmentId, env.FeatureStates, env.FeatureSegments))
                yield return entity;
            foreach (var entity in IdentityEntities(projectId, environmentId, env.IdentityOverrides))
                yield return entity;
        }
    }

    /// <summary>The project-level entities of a snapshot, without the project row and environments.</summary>
    private static IEnumerable<TableEntity> EntitiesOf(string projectId, ProjectSnapshot snapshot)
    {
        foreach (var tag in snapshot.Tags)
            yield return JsonEntityCodec.ToEntity(projectId, TagPrefix + TableKeys.RequireId(tag.Id, "Tag id"), tag, Json.Tag, $"tag '{tag.Label}'");
        foreach (var segment in snapshot.Segments)
            yield return JsonEntityCodec.ToEntity(projectId, SegmentPrefix + TableKeys.RequireId(segment.Id, "Segment id"), segment, Json.Segment, $"segment '{segment.Name}'");
        foreach (var feature in snapshot.Features)
            yield return JsonEntityCodec.ToEntity(projectId, FeaturePrefix + TableKeys.RequireId(feature.Id, "Feature id"), feature, Json.Feature, $"feature '{feature.Name}'");
    }

    /// <summary>One environment's feature states and segment overrides (its states partition).</summary>
    private static IEnumerable<TableEntity> StateEntities(string projectId, string environmentId, List<FeatureState> states, List<FeatureSegment> segmentOverrides)
    {
        var statesPartition = EnvironmentPartition(projectId, TableKeys.RequireId(environmentId, "Environment id"));
        foreach (var state in states)
            yield return JsonEntityCodec.ToEntity(statesPartition, FeatureStatePrefix + TableKeys.RequireId(state.Feature, "Feature id of a feature state"), state, Json.FeatureState, "feature state");
        foreach (var segmentOverride in segmentOverrides)
            yield return JsonEntityCodec.ToEntity(statesPartition, FeatureSegmentPrefix + TableKeys.RequireId(segmentOverride.Id, "Segment override id"), segmentOverride, Json.FeatureSegment, "segment override");
    }

    /// <summary>One environment's identity overrides (its identities partition).</summary>
    private static IEnumerable<TableEntity> IdentityEntities(string projectId, string environmentId, List<IdentityOverride> identityOverrides)
    {
        var identitiesPartition = IdentityPartition(projectId, environmentId);
        foreach (var identityOverride in identityOverrides)
        {
            var rowKey = IdentityOverrideRowKey(identityOverride);
            yield return JsonEntityCodec.ToEntity(identitiesPartition, rowKey, identityOverride, Json.IdentityOverride, $"identity override of '{identityOverride.Identifier}'");
        }
    }

    /// <summary>hex(identifier) then '-' (which sorts below every hex digit, so "ab" lists before "abc") then the feature id.</summary>
    private static string IdentityOverrideRowKey(IdentityOverride identityOverride)
    {
        var featureId = TableKeys.RequireId(identityOverride.FeatureState.Feature, "Feature id of an identity override");
        if (identityOverride.Identifier.Length == 0)
        {
            throw new StorageLimitException("An identity override has an empty identifier.");
        }
        var key = TableKeys.OrderedHex(identityOverride.Identifier) + "-" + featureId;
        return TableKeys.RequireKey(key, $"The identifier '{identityOverride.Identifier[..Math.Min(40, identityOverride.Identifier.Length)]}' (stored as hex of its UTF-8 bytes, with the feature id)");
    }

    internal static string EnvironmentPartition(string projectId, string environmentId) => $"{projectId}:{environmentId}";

    internal static string IdentityPartition(string projectId, string environmentId) => $"{projectId}:{environmentId}:identities";

    internal static string PartitionFilter(string partitionKey) => TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey}");
}
