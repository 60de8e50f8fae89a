using ProjectExports.Projects;

namespace ProjectExports.Imports;

/// <summary>Reads what a planner needs of the target project: only the partitions of environments the document names.</summary>
public sealed class ImportTargets(ProjectStore store)
{
    /// <returns>Null when the project does not exist.</returns>
    public Task<ImportTarget?> LoadAsync(string projectId, ImportDocument document, CancellationToken cancellationToken) =>
        LoadAsync(projectId, ImportTargetScope.Of(document), cancellationToken);

    /// <returns>Null when the project does not exist.</returns>
    public async Task<ImportTarget?> LoadAsync(string projectId, ImportTargetScope scope, CancellationToken cancellationToken)
    {
        var definitions = await store.ReadDefinitionsAsync(projectId, cancellationToken).ConfigureAwait(false);
        if (definitions is null) return null;
        var named = scope.Environments.ToHashSet(StringComparer.Ordinal);
        var matched = definitions.Environments.Where(e => named.Contains(e.Name)).GroupBy(e => e.Name).Select(g => g.First()).ToList();
        var states = await Task.WhenAll(matched.Select(e => store.ReadEnvironmentStatesAsync(projectId, e.Id, cancellationToken))).ConfigureAwait(false);
        var identities = await Task.WhenAll(matched.Select(async e =>
        {
            List<IdentityOverride> overrides = [];
            if (scope.IdentityOverrideEnvironments.Contains(e.Name, StringComparer.Ordinal))
            {
                await store.ReadIdentityOverridesAsync(projectId, e.Id, (items, _) =>
                {
                    overrides.AddRange(items);
                    return ValueTask.CompletedTask;
                }, cancellationToken).ConfigureAwait(false);
            }
            return (IReadOnlyList<IdentityOverride>)overrides;
        })).ConfigureAwait(false);
        return new ImportTarget(
            definitions,
            matched.Select((e, i) => (e.Id, states[i])).ToDictionary(p => p.Id, p => p.Item2),
            matched.Select((e, i) => (e.Id, identities[i])).ToDictionary(p => p.Id, p => p.Item2));
    }
}
