using ProjectExports.Projects;

namespace ProjectExports.Imports;

/// <summary>Reads what a planner needs of the target project: only the partitions of environments the document names.</summary>
public sealed class ImportTargets(ProjectStore store)
{
    /// <summary>Reads the project's definitions; the named environments' data is read as the planner comes to each (<see cref="ImportTarget"/>).</summary>
    /// <returns>Null when the project does not exist.</returns>
    public async Task<ImportTarget?> LoadAsync(string projectId, ImportTargetScope scope, CancellationToken cancellationToken)
    {
        var definitions = await store.ReadDefinitionsAsync(projectId, cancellationToken).ConfigureAwait(false);
        if (definitions is null) return null;
        var byName = new Dictionary<string, ProjectEnvironment>(StringComparer.Ordinal);
        foreach (var environment in definitions.Environments) byName.TryAdd(environment.Name, environment); // the first of a name, as the planner matches
        var named = scope.Environments.Where(byName.ContainsKey).Select(name => byName[name]).ToList();
        var withIdentities = scope.IdentityOverrideEnvironments.ToHashSet(StringComparer.Ordinal);
        return new ImportTarget(definitions, named, (environment, token) => ReadAsync(projectId, environment, withIdentities.Contains(environment.Name), token));
    }

    private async Task<ImportTargetEnvironment> ReadAsync(string projectId, ProjectEnvironment environment, bool identityOverrides, CancellationToken cancellationToken)
    {
        var states = store.ReadEnvironmentStatesAsync(projectId, environment.Id, cancellationToken);
        var overrides = identityOverrides ? ReadIdentityOverridesAsync(projectId, environment.Id, cancellationToken) : Task.FromResult(new List<IdentityOverride>());
        await Task.WhenAll(states, overrides).ConfigureAwait(false);
        return new ImportTargetEnvironment(await states.ConfigureAwait(false), await overrides.ConfigureAwait(false));
    }

    private async Task<List<IdentityOverride>> ReadIdentityOverridesAsync(string projectId, string environmentId, CancellationToken cancellationToken)
    {
        List<IdentityOverride> overrides = [];
        await store.ReadIdentityOverridesAsync(projectId, environmentId, (items, _) =>
        {
            overrides.AddRange(items);
            return ValueTask.CompletedTask;
        }, cancellationToken).ConfigureAwait(false);
        return overrides;
    }
}
