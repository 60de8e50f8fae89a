using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using ProjectExports.Http;
using ProjectExports.Projects;

namespace ProjectExports.Security;

/// <summary>
/// The gate in front of every endpoint under <c>/projects/{projectId}</c>, in this order: authenticate the
/// caller (401), check the project id (400), require project admin (403), require the project to exist (404),
/// then run the handler with the caller. A caller who is not admin learns nothing about whether a project or
/// export exists. Storage outages inside become 503 problems, as everywhere.
/// </summary>
public sealed class ProjectAccess(
    CallerAuthenticator authenticator, ProjectGrantStore grants, KnownProjects projects, ILogger<ProjectAccess> logger)
{
    /// <summary>The gate in front of endpoints that name no one project: authenticate the caller (401), then run the handler with it.</summary>
    public Task<IResult> GuardCallerAsync(HttpRequest request, Func<AuthenticatedCaller, CancellationToken, Task<IResult>> handle) =>
        HttpHandling.GuardAsync(request, logger, async () =>
        {
            var cancellationToken = request.HttpContext.RequestAborted;
            var (caller, problem) = await authenticator.AuthenticateAsync(request, cancellationToken).ConfigureAwait(false);
            return caller is null ? problem! : await handle(caller, cancellationToken).ConfigureAwait(false);
        });

    public Task<IResult> GuardAsync(HttpRequest request, string projectId, Func<Caller, CancellationToken, Task<IResult>> handle) =>
        HttpHandling.GuardAsync(request, logger, async () =>
        {
            var cancellationToken = request.HttpContext.RequestAborted;
            var (caller, problem) = await authenticator.AuthenticateAsync(request, cancellationToken).ConfigureAwait(false);
            if (caller is null) return problem!;
            if (!ProjectIds.IsValid(projectId)) return Problems.InvalidProjectId();
            if (!caller.AllProjects && !await grants.IsAdminAsync(projectId, caller.Kind, caller.PrincipalId, cancellationToken).ConfigureAwait(false))
            {
                logger.LogInformation("Refused {Caller}: not admin of project {ProjectId}.", caller.Caller, projectId);
                return Problems.Create(StatusCodes.Status403Forbidden, "not_project_admin", "Forbidden.",
                    $"You are not an admin of project '{projectId}'. Ask an admin to grant you access.");
            }
            if (!await projects.ExistsAsync(projectId, cancellationToken).ConfigureAwait(false)) return Problems.ProjectNotFound(projectId);
            return await handle(caller.Caller, cancellationToken).ConfigureAwait(false);
        });
}
