using System.Globalization;
using System.Text.Json;
using ProjectExports.Projects;

namespace ProjectExports.Exports.Flagd;

/// <summary>
/// Writes one environment of a project as an OpenFeature flagd flag definition file
/// (https://flagd.dev/schema/v0/flags.json): every segment as a reusable <c>$evaluators</c> entry, every feature that
/// is not archived as a flag. What flagd cannot say as the project means it is written in the nearest form flagd
/// accepts and reported, both returned and in the file's own <c>metadata</c>
/// (<c>fidelity.count</c>, <c>fidelity.{i}.path</c>, <c>fidelity.{i}.reason</c>: flagd's metadata holds only plain values).
/// </summary>
/// <remarks>
/// The environment's states, segment overrides and identity overrides are read once (two partitions, in parallel).
/// A flag's targeting needs all of its identity overrides, which the partition lists by identifier, so they are held
/// until written; the flags themselves are written one at a time into a small buffer, as the JSON export is.
/// </remarks>
public sealed class FlagdDocumentWriter(ProjectStore store)
{
    public const string SchemaUrl = "https://flagd.dev/schema/v0/flags.json";

    /// <summary>Writes the flagd file of <paramref name="environmentName"/> (its exact name).</summary>
    /// <param name="names">The features and tags a selection names (every feature but archived ones when null).</param>
    /// <param name="includeIdentityOverrides">Whether identity overrides (and so identifiers) become targeting, as in the JSON document.</param>
    /// <returns>What the file could not say faithfully (empty when nothing), or null when the project or environment does not exist (nothing is written).</returns>
    public async Task<IReadOnlyList<FidelityItem>?> WriteAsync(
        Stream output, string projectId, string environmentName, SelectedNames? names, bool includeIdentityOverrides, CancellationToken cancellationToken)
    {
        var definitions = await store.ReadDefinitionsAsync(projectId, cancellationToken).ConfigureAwait(false);
        var environment = definitions?.Environments.FirstOrDefault(e => string.Equals(e.Name, environmentName, StringComparison.Ordinal));
        if (definitions is null || environment is null)
        {
            return null;
        }

        var order = ExportOrder.Instance;
        var features = SelectionScope.Features(definitions, names).OrderBy(f => f.Name, order).ToList();
        var featureIds = features.Select(f => f.Id).ToHashSet(StringComparer.Ordinal);
        var statesRead = store.ReadEnvironmentStatesAsync(projectId, environment.Id, cancellationToken);
        var identities = new Dictionary<string, List<IdentityOverride>>(StringComparer.Ordinal);
        var identitiesRead = !includeIdentityOverrides ? Task.CompletedTask : store.ReadIdentityOverridesAsync(projectId, environment.Id, (batch, _) =>
        {
            foreach (var identityOverride in batch.Where(i => featureIds.Contains(i.FeatureState.Feature)))
            {
                (identities.TryGetValue(identityOverride.FeatureState.Feature, out var list) ? list : identities[identityOverride.FeatureState.Feature] = []).Add(identityOverride);
            }
            return ValueTask.CompletedTask;
        }, cancellationToken);
        await Task.WhenAll(statesRead, identitiesRead).ConfigureAwait(false);
        var states = await statesRead.ConfigureAwait(false);

        var fidelity = new List<FidelityItem>();
        var segments = definitions.Segments.OrderBy(s => s.Name, order).ToList();
        var taken = new HashSet<string>(StringComparer.Ordinal);
        var evaluatorKeys = segments.ToDictionary(s => s.Id, s => FlagdNames.EvaluatorKey(s.Name, taken), StringComparer.Ordinal);
        var featureStates = states.FeatureStates.GroupBy(s => s.Feature).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var segmentOverrides = states.FeatureSegments
            .Where(o => featureIds.Contains(o.Feature) && evaluatorKeys.ContainsKey(o.Segment))
            .GroupBy(o => o.Feature).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var segmentNames = segments.ToDictionary(s => s.Id, s => s.Name, StringComparer.Ordinal);

        await using var json = new JsonOutput(output, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        var writer = json.Writer;
        writer.WriteStartObject();
        writer.WriteString("$schema", SchemaUrl);
        if (segments.Count > 0)
        {
            writer.WriteStartObject("$evaluators");
            foreach (var segment in segments)
            {
                var key = evaluatorKeys[segment.Id];
                writer.WritePropertyName(key);
                new FlagdSegmentLogic(segment, FidelityItem.Pointer("$evaluators", key), fidelity).Build().WriteTo(writer);
                await json.FlushIfFullAsync(cancellationToken).ConfigureAwait(false);
            }
            writer.WriteEndObject();
        }

        writer.WriteStartObject("flags");
        foreach (var feature in features)
        {
            if (FlagdNames.HasLineBreak(feature.Name))
            {
                fidelity.Add(new FidelityItem(FidelityItem.Pointer("flags", feature.Name),
                    $"Feature '{feature.Name}' has a line break in its name, which flagd's flag keys cannot hold; the flag is left out."));
                continue;
            }
            var state = featureStates.GetValueOrDefault(feature.Id) ?? DefaultState(feature);
            var overrides = segmentOverrides.GetValueOrDefault(feature.Id) ?? [];
            var ordered = overrides.OrderBy(o => o.Priority).ThenBy(o => segmentNames[o.Segment], order)
                .Select(o => new FlagdSegmentOverride(o, segmentNames[o.Segment], evaluatorKeys[o.Segment])).ToList();
            writer.WritePropertyName(feature.Name);
            new FlagdFlagBuilder(feature, fidelity).Build(state, ordered, identities.GetValueOrDefault(feature.Id) ?? []).WriteTo(writer);
            await json.FlushIfFullAsync(cancellationToken).ConfigureAwait(false);
        }
        writer.WriteEndObject();

        WriteMetadata(writer, definitions.Project, environment, fidelity);
        writer.WriteEndObject();
        await json.FlushAsync(cancellationToken).ConfigureAwait(false);
        return fidelity;
    }

    /// <summary>An environment created before the feature has no state of it: Flagsmith gives it the feature's defaults.</summary>
    private static FeatureState DefaultState(Feature feature) => new()
    {
        Feature = feature.Id,
        Enabled = feature.DefaultEnabled,
        FeatureStateValue = new FeatureStateValue { Type = "unicode", StringValue = feature.InitialValue },
    };

    private static void WriteMetadata(Utf8JsonWriter writer, Project project, ProjectEnvironment environment, List<FidelityItem> fidelity)
    {
        writer.WriteStartObject("metadata");
        writer.WriteString("project", project.Name);
        writer.WriteString("environment", environment.Name);
        writer.WriteNumber("fidelity.count", fidelity.Count);
        for (var i = 0; i < fidelity.Count; i++)
        {
            var prefix = "fidelity." + i.ToString(CultureInfo.InvariantCulture);
            writer.WriteString(prefix + ".path", fidelity[i].Path);
            writer.WriteString(prefix + ".reason", fidelity[i].Reason);
        }
        writer.WriteEndObject();
    }
}
