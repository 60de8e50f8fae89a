using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using ProjectExports.Projects;

namespace ProjectExports.Exports;

/// <summary>What an export includes beyond the always-present sections, and the names it is limited to (null: the whole project).</summary>
public sealed record ExportSelection(bool IncludeTags, bool IncludeIdentityOverrides, SelectedNames? Names = null);

/// <summary>
/// Streams the version 1 export document of a project into a stream: each partition is read once,
/// environments' partitions are read ahead in parallel (bounded, see <see cref="EnvironmentPrefetch"/>),
/// and the JSON is written into a small buffer that is handed to the stream (asynchronously) whenever it
/// fills, so memory does not grow with the document.
/// </summary>
public sealed class ExportDocumentWriter(ProjectStore store, TimeProvider time, ILogger<ExportDocumentWriter> logger)
{
    public const int Version = 1;

    /// <summary>Environments whose states are read ahead of the one being written (the one being written included).</summary>
    internal const int EnvironmentReadAhead = 4;

    /// <summary>Environments whose identity overrides are read ahead, each into a bounded buffer.</summary>
    internal const int IdentityReadAhead = 2;

    /// <summary>The most partitions one export reads at once.</summary>
    internal const int MaxConcurrentReads = EnvironmentReadAhead + IdentityReadAhead;

    /// <param name="environmentsWritten">Told how many environments of how many are written: once they are known, then after each.</param>
    /// <returns>False when the project does not exist (nothing is written).</returns>
    public async Task<bool> WriteAsync(
        Stream output, string projectId, ExportSelection selection, Func<int, int, CancellationToken, ValueTask> environmentsWritten, CancellationToken cancellationToken)
    {
        // The first environments' partitions are read while the project's own sections are decoded and written.
        await using var reads = new EnvironmentReads(store, projectId, selection.IncludeIdentityOverrides, cancellationToken);
        var definitions = selection.Names is null
            ? await ReadDefinitionsStartingReadsAsync(projectId, reads, cancellationToken).ConfigureAwait(false)
            : await store.ReadDefinitionsAsync(projectId, cancellationToken).ConfigureAwait(false);
        if (definitions is null)
        {
            return false;
        }

        var order = ExportOrder.Instance;
        var features = SelectionScope.Features(definitions, selection.Names).OrderBy(f => f.Name, order).ToList();
        var references = new ExportReferences(definitions, features, selection.IncludeTags);
        var options = ExportContract.CreateSerializerOptions(references);
        IEnumerable<Tag> tags = definitions.Tags;
        IEnumerable<Segment> segments = definitions.Segments;
        if (selection.Names is not null)
        {
            // A partial document carries just the tags and segments it refers to, and the segments are written before
            // the environments that refer to them: so the selected environments' states are read first.
            var selected = SelectionScope.Environments(definitions, selection.Names).OrderBy(e => e.Name, order).ToList();
            var states = await ReadSelectedStatesAsync(projectId, selected, references, cancellationToken).ConfigureAwait(false);
            var carried = features.SelectMany(f => f.Tags).ToHashSet(StringComparer.Ordinal);
            var used = states.SelectMany(s => s!.SegmentOverrides).Select(o => o.Segment).ToHashSet(StringComparer.Ordinal);
            tags = tags.Where(t => carried.Contains(t.Id));
            segments = segments.Where(s => used.Contains(s.Id));
            reads.Start(selected, states);
        }
        var environments = reads.Environments!;

        await using var json = new JsonOutput(output, new JsonWriterOptions { Encoder = options.Encoder });
        var writer = json.Writer;
        writer.WriteStartObject();
        writer.WriteNumber("version", Version);
        writer.WriteString("exported_at", time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture));

        if (selection.Names is { } names)
        {
            WriteSelection(writer, names);
        }
        if (selection.IncludeTags)
        {
            await WriteArrayAsync(json, "tags", tags.OrderBy(t => t.Label, order), options, cancellationToken).ConfigureAwait(false);
        }
        await WriteArrayAsync(json, "segments", segments.OrderBy(s => s.Name, order), options, cancellationToken).ConfigureAwait(false);
        await WriteArrayAsync(json, "features", features, options, cancellationToken).ConfigureAwait(false);

        var rows = new StoredRowTranscoder(references, options);
        writer.WriteStartArray("environments");
        await environmentsWritten(0, environments.Count, cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < environments.Count; i++)
        {
            await using var read = reads.Take(i);
            await WriteEnvironmentAsync(json, environments[i], read, references, rows, selection, options, cancellationToken).ConfigureAwait(false);
            await environmentsWritten(i + 1, environments.Count, cancellationToken).ConfigureAwait(false);
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
        await json.FlushAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// The whole project's definitions, with its environments' reads started as soon as the environments are read
    /// (their rows come first): those reads then overlap decoding the features, most of the project's partition.
    /// </summary>
    private async Task<ProjectDefinitions?> ReadDefinitionsStartingReadsAsync(string projectId, EnvironmentReads reads, CancellationToken cancellationToken)
    {
        // Started here, not in the callback, which runs inside the project partition's read.
        var environmentsRead = new TaskCompletionSource<IReadOnlyList<ProjectEnvironment>>(TaskCreationOptions.RunContinuationsAsynchronously);
        var definitions = store.ReadDefinitionsAsync(projectId, environments => environmentsRead.TrySetResult(environments), cancellationToken);
        await Task.WhenAny(environmentsRead.Task, definitions).ConfigureAwait(false);
        if (environmentsRead.Task.IsCompletedSuccessfully)
        {
            reads.Start([.. environmentsRead.Task.Result.OrderBy(e => e.Name, ExportOrder.Instance)]);
        }
        return await definitions.ConfigureAwait(false);
    }

    /// <summary>
    /// The selected environments' states and segment overrides of exported features, a few environments read at once.
    /// Only a selection reads ahead of writing like this, so only the selected (and, with a feature selection, trimmed)
    /// data is held.
    /// </summary>
    private async Task<StoredEnvironmentStates?[]> ReadSelectedStatesAsync(
        string projectId, IReadOnlyList<ProjectEnvironment> environments, ExportReferences references, CancellationToken cancellationToken)
    {
        var states = new StoredEnvironmentStates?[environments.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, environments.Count),
            new ParallelOptions { MaxDegreeOfParallelism = EnvironmentReadAhead, CancellationToken = cancellationToken }, async (i, token) =>
            {
                var read = await StoredEnvironmentStates.ReadAsync(store, projectId, environments[i].Id, token).ConfigureAwait(false);
                states[i] = new StoredEnvironmentStates(
                    read.FeatureStates.Where(s => references.ResolvesFeature(s.Feature)).ToList(),
                    read.SegmentOverrides.Where(o => references.Resolves(o.Feature, o.Segment)).ToList());
            }).ConfigureAwait(false);
        return states;
    }

    /// <summary>The selection the document was made with, each given list in export order; lists not given are left out.</summary>
    private static void WriteSelection(Utf8JsonWriter writer, SelectedNames names)
    {
        writer.WriteStartObject("selection");
        foreach (var (name, list) in new[] { ("environments", names.Environments), ("features", names.Features), ("tags", names.Tags) })
        {
            if (list is null) continue;
            writer.WriteStartArray(name);
            foreach (var item in list.Order(ExportOrder.Instance)) writer.WriteStringValue(item);
            writer.WriteEndArray();
        }
        writer.WriteEndObject();
    }

    private async Task WriteEnvironmentAsync(
        JsonOutput json, ProjectEnvironment environment, EnvironmentPrefetch read, ExportReferences references,
        StoredRowTranscoder rows, ExportSelection selection, JsonSerializerOptions options, CancellationToken cancellationToken)
    {
        var order = ExportOrder.Instance;
        var states = await read.States.ConfigureAwait(false);
        json.Writer.WriteStartObject();
        WriteProperties(json.Writer, environment, options);

        var featureStates = states.FeatureStates.Where(s => references.ResolvesFeature(s.Feature))
            .OrderBy(s => references.FeatureName(s.Feature), order);
        await WriteArrayAsync(json, "feature_states", featureStates, rows.Write, cancellationToken).ConfigureAwait(false);

        var segmentOverrides = states.SegmentOverrides.Where(o => references.Resolves(o.Feature, o.Segment))
            .OrderBy(o => references.FeatureName(o.Feature), order).ThenBy(o => o.Priority);
        await WriteArrayAsync(json, "feature_segments", segmentOverrides, rows.Write, cancellationToken).ConfigureAwait(false);

        if (selection.IncludeIdentityOverrides)
        {
            await WriteIdentityOverridesAsync(json, environment, read.ReadIdentityOverridesAsync(cancellationToken), references, rows, cancellationToken).ConfigureAwait(false);
        }
        json.Writer.WriteEndObject();
    }

    /// <summary>
    /// The partition lists overrides by identifier; only one identity's overrides are held at a time,
    /// to put them in feature-name order.
    /// </summary>
    private async Task WriteIdentityOverridesAsync(
        JsonOutput json, ProjectEnvironment environment, IAsyncEnumerable<StoredIdentityOverride> identityOverrides,
        ExportReferences references, StoredRowTranscoder rows, CancellationToken cancellationToken)
    {
        var identity = new List<StoredIdentityOverride>();
        var skipped = 0;
        json.Writer.WriteStartArray("identity_overrides");
        await foreach (var identityOverride in identityOverrides.ConfigureAwait(false))
        {
            if (!references.ResolvesFeature(identityOverride.Feature))
            {
                skipped++;
                continue;
            }
            if (identity.Count > 0 && identity[0].Identifier != identityOverride.Identifier)
            {
                await WriteIdentityAsync(json, identity, references, rows, cancellationToken).ConfigureAwait(false);
            }
            identity.Add(identityOverride);
        }
        await WriteIdentityAsync(json, identity, references, rows, cancellationToken).ConfigureAwait(false);
        json.Writer.WriteEndArray();
        if (skipped > 0)
        {
            logger.LogInformation("Left out {Count} identity overrides of features not exported (archived, missing or not selected) in environment {EnvironmentId}.", skipped, environment.Id);
        }
    }

    private static async Task WriteIdentityAsync(
        JsonOutput json, List<StoredIdentityOverride> identity, ExportReferences references, StoredRowTranscoder rows, CancellationToken cancellationToken)
    {
        identity.Sort((a, b) => ExportOrder.Instance.Compare(references.FeatureName(a.Feature), references.FeatureName(b.Feature)));
        foreach (var item in identity)
        {
            rows.Write(json.Writer, item);
        }
        identity.Clear();
        await json.FlushIfFullAsync(cancellationToken).ConfigureAwait(false);
    }

    private static Task WriteArrayAsync<T>(
        JsonOutput json, string name, IEnumerable<T> items, JsonSerializerOptions options, CancellationToken cancellationToken)
    {
        var typeInfo = (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
        return WriteArrayAsync(json, name, items, (writer, item) => JsonSerializer.Serialize(writer, item, typeInfo), cancellationToken);
    }

    private static async Task WriteArrayAsync<T>(
        JsonOutput json, string name, IEnumerable<T> items, Action<Utf8JsonWriter, T> write, CancellationToken cancellationToken)
    {
        json.Writer.WriteStartArray(name);
        foreach (var item in items)
        {
            write(json.Writer, item);
            await json.FlushIfFullAsync(cancellationToken).ConfigureAwait(false);
        }
        json.Writer.WriteEndArray();
    }

    /// <summary>Writes an object's exported properties without its braces, so the caller can add nested sections.</summary>
    private static void WriteProperties<T>(Utf8JsonWriter writer, T value, JsonSerializerOptions options)
    {
        foreach (var property in options.GetTypeInfo(typeof(T)).Properties)
        {
            writer.WritePropertyName(property.Name);
            JsonSerializer.Serialize(writer, property.Get!(value!), options.GetTypeInfo(property.PropertyType));
        }
    }
}
