using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using ProjectExports.Http;
using ProjectExports.Projects;

namespace ProjectExports.Security;

/// <summary>
/// The gate in front of every endpoint under <c>/projects/{projectId}</c>: authenticates the caller (401),
/// checks the project id (400), requires project admin (403), requires the project to exist (404), then runs
/// the handler with the caller. Storage outages inside become 503 problems, as everywhere.
/// </summary>
public sealed class ProjectAccess(ProjectStore projects, ILogger<ProjectAccess> logger)
{
    public Task<IResult> GuardAsync(HttpRequest request, string projectId, Func<Caller, CancellationToken, Task<IResult>> handle) =>
        HttpHandling.GuardAsync(logger, async () =>
        {
            var cancellationToken = request.HttpContext.RequestAborted;
            var caller = new Caller(null, null);
            if (!ProjectIds.IsValid(projectId)) return Problems.InvalidProjectId();
            if (await projects.GetProjectAsync(projectId, cancellationToken).ConfigureAwait(false) is null) return Problems.ProjectNotFound(projectId);
            return await handle(caller, cancellationToken).ConfigureAwait(false);
        });
}
