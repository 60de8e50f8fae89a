using ProjectExports.Imports.Review;
using ProjectExports.Projects;

namespace ProjectExports.Imports;

/// <summary>
/// What the planner knows of the target project: its definitions, and the data of the environments the document
/// names, each read when the planner comes to it and not kept. So a restore over a project holding as much data as
/// the document holds one of its environments at a time, not all of them. (Reading the next one meanwhile saved no
/// time on Azurite and held a second environment.) Each environment's digest is taken as it is read, for the
/// <see cref="StateHashAsync">state hash</see>.
/// </summary>
/// <param name="environments">The project's environments the document names.</param>
/// <param name="read">Reads one of them.</param>
public sealed class ImportTarget(
    ProjectDefinitions definitions, IReadOnlyList<ProjectEnvironment> environments, Func<ProjectEnvironment, CancellationToken, Task<ImportTargetEnvironment>> read)
{
    private readonly Dictionary<string, byte[]> _digests = new(StringComparer.Ordinal);

    public ProjectDefinitions Definitions => definitions;

    /// <summary>The named environments' states, segment overrides and identity overrides read so far.</summary>
    public int EntitiesRead { get; private set; }

    /// <summary>Reads one of the named environments.</summary>
    public async Task<ImportTargetEnvironment> ReadAsync(ProjectEnvironment environment, CancellationToken cancellationToken)
    {
        var data = await read(environment, cancellationToken).ConfigureAwait(false);
        _digests[environment.Id] = ImportPlanIds.EnvironmentDigest(data);
        EntitiesRead += data.States.FeatureStates.Count + data.States.FeatureSegments.Count + data.IdentityOverrides.Count;
        return data;
    }

    /// <summary>
    /// The state hash of every row a plan is made from (<see cref="ImportPlanIds.StateHash"/>); environments not read
    /// yet are read for it, one at a time.
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
}
