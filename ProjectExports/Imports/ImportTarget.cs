using ProjectExports.Imports.Review;
using ProjectExports.Projects;

namespace ProjectExports.Imports;

/// <summary>
/// What the planner knows of the target project: its definitions, and the data of the environments the document
/// names, each read when the planner comes to it (the next one read meanwhile) and not kept. So a re-import into a
/// project holding as much data as the document holds one or two of its environments at a time, not all of them.
/// Each environment's digest is taken as it is read, for the <see cref="StateHashAsync">state hash</see>.
/// </summary>
/// <param name="environments">The project's environments the document names, in the document's order.</param>
/// <param name="read">Reads one of them.</param>
public sealed class ImportTarget(
    ProjectDefinitions definitions, IReadOnlyList<ProjectEnvironment> environments, Func<ProjectEnvironment, CancellationToken, Task<ImportTargetEnvironment>> read)
{
    private readonly Dictionary<string, Task<ImportTargetEnvironment>> _reads = new(StringComparer.Ordinal);
    private readonly Dictionary<string, byte[]> _digests = new(StringComparer.Ordinal);

    public ProjectDefinitions Definitions => definitions;

    /// <summary>The named environments' states, segment overrides and identity overrides read so far.</summary>
    public int EntitiesRead { get; private set; }

    /// <summary>Reads one of the named environments, and starts reading the one after it.</summary>
    public async Task<ImportTargetEnvironment> ReadAsync(ProjectEnvironment environment, CancellationToken cancellationToken)
    {
        var reading = Start(environment, cancellationToken);
        _reads.Remove(environment.Id);
        var next = IndexOf(environment) + 1;
        if (next > 0 && next < environments.Count && !_digests.ContainsKey(environments[next].Id))
        {
            _ = Start(environments[next], cancellationToken);
        }
        var data = await reading.ConfigureAwait(false);
        _digests[environment.Id] = ImportPlanIds.EnvironmentDigest(data);
        EntitiesRead += data.States.FeatureStates.Count + data.States.FeatureSegments.Count + data.IdentityOverrides.Count;
        return data;
    }

    /// <summary>
    /// The state hash of every row a plan is made from (<see cref="ImportPlanIds.StateHash"/>); environments not read
    /// yet are read for it, one or two at a time.
    /// </summary>
    public async Task<string> StateHashAsync(CancellationToken cancellationToken)
    {
        foreach (var environment in environments)
        {
            if (!_digests.ContainsKey(environment.Id))
            {
                await ReadAsync(environment, cancellationToken).ConfigureAwait(false);
            }
        }
        return ImportPlanIds.StateHash(definitions, _digests);
    }

    private Task<ImportTargetEnvironment> Start(ProjectEnvironment environment, CancellationToken cancellationToken)
    {
        if (!_reads.TryGetValue(environment.Id, out var reading))
        {
            reading = read(environment, cancellationToken);
            _reads[environment.Id] = reading;
        }
        return reading;
    }

    private int IndexOf(ProjectEnvironment environment)
    {
        for (var i = 0; i < environments.Count; i++)
        {
            if (environments[i].Id == environment.Id) return i;
        }
        return -1;
    }
}
