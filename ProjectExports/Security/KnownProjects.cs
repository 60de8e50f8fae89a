using ProjectExports.Projects;

namespace ProjectExports.Security;

/// <summary>
/// Whether a project exists, remembered for a minute once it is seen to: this app never deletes a project, so a
/// remembered "yes" cannot go stale, while "no" is never remembered, so a project created a moment ago is found at
/// once. It spares every call of a busy API one storage round trip; the minute bounds what an operator deleting a
/// project by hand must wait for.
/// </summary>
public sealed class KnownProjects(ProjectStore projects, TimeProvider time) : IDisposable
{
    private static readonly TimeSpan Remembered = TimeSpan.FromMinutes(1);

    private readonly TimedCache<bool> _known = new(time, capacity: 100_000);

    public async Task<bool> ExistsAsync(string projectId, CancellationToken cancellationToken)
    {
        if (_known.TryGet(projectId, out _))
        {
            return true;
        }
        if (await projects.GetProjectAsync(projectId, cancellationToken).ConfigureAwait(false) is null)
        {
            return false;
        }
        _known.Set(projectId, true, Remembered);
        return true;
    }

    public void Dispose() => _known.Dispose();
}
