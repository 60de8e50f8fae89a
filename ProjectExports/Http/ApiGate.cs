using Azure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using ProjectExports.Projects;
using ProjectExports.Security;
using ProjectExports.Storage;

namespace ProjectExports.Http;

/// <summary>
/// What stands in front of every endpoint, written once and applied by each host's own pipeline (an endpoint filter
/// in the LocalHost, a worker middleware in the Functions app), so handlers only do their own work:
/// <list type="bullet">
/// <item>the endpoint's <see cref="EndpointGate"/>: authentication, then for project endpoints the project id, admin
/// rights and existence, in that order. A caller who is not admin learns nothing about whether a project exists.</item>
/// <item>the request deadlines for storage calls (see <see cref="StorageOptions.Requests"/>);</item>
/// <item>failures as problems, never a 500: storage failing or timing out is a 503, an unreadable stored row a 409, a
/// body the web server gave up on its own 4xx.</item>
/// </list>
/// </summary>
public sealed class ApiGate(CallerAuthenticator authenticator, ProjectGrantStore grants, KnownProjects projects, ILogger<ApiGate> logger)
{
    /// <summary>
    /// The gate of each endpoint, by the name both hosts give it (the Azure Function's name). An unknown name gets
    /// the strictest gate.
    /// </summary>
    public static EndpointGate GateOf(string endpointName) => endpointName switch
    {
        "Health" => EndpointGate.None,
        // CreateProject names a project that need not exist yet; it checks the id and rights itself.
        "ListProjects" or "CreateProject" => EndpointGate.Caller,
        _ => EndpointGate.Project,
    };

    /// <summary>The caller the gate authenticated for this request.</summary>
    public static AuthenticatedCaller CallerOf(HttpRequest request) =>
        request.HttpContext.Features.Get<AuthenticatedCaller>()
        ?? throw new InvalidOperationException("This endpoint's gate authenticates no caller; see ApiGate.GateOf.");

    /// <summary>
    /// Runs <paramref name="handle"/> (the endpoint, which answers by itself) behind the gate of
    /// <paramref name="endpointName"/>. Returns the problem to answer instead when the gate refuses the request or
    /// the endpoint fails in one of the ways above; null when the endpoint ran.
    /// </summary>
    public async Task<IResult?> RunAsync(HttpContext context, string endpointName, string? projectId, Func<Task> handle)
    {
        using var deadlines = StorageClients.BeginRequestScope();
        try
        {
            if (await CheckAsync(context, GateOf(endpointName), projectId).ConfigureAwait(false) is { } refusal)
            {
                return refusal;
            }
            await handle().ConfigureAwait(false);
            return null;
        }
        catch (Exception e) when (IsStorageFailure(e, context.RequestAborted))
        {
            logger.LogError(e, "Storage did not answer in time or failed ({Reason}).", e.GetBaseException().Message);
            return Problems.StorageUnavailable();
        }
        catch (StoredDataException e)
        {
            logger.LogError(e, "Stored data could not be read: {Reason}", e.Message);
            return Problems.StoredDataUnreadable();
        }
        catch (BadHttpRequestException e)
        {
            // The web server gave up on the body (too slow 408, too large 413, badly framed 400): the client's
            // doing, in either host, so a problem answer and an Information line, not an unhandled exception.
            logger.LogInformation("Rejected a bad request ({Status}): {Reason}", e.StatusCode, e.Message);
            return Problems.BadHttpRequest(e.StatusCode, e.Message);
        }
    }

    private async Task<IResult?> CheckAsync(HttpContext context, EndpointGate gate, string? projectId)
    {
        if (gate == EndpointGate.None)
        {
            return null;
        }
        var cancellationToken = context.RequestAborted;
        var authenticated = await authenticator.AuthenticateAsync(context.Request, cancellationToken).ConfigureAwait(false);
        if (!authenticated.TryGetValue(out var caller, out var problem))
        {
            return problem;
        }
        context.Features.Set(caller);
        if (gate == EndpointGate.Caller)
        {
            return null;
        }
        if (projectId is null || !ProjectIds.IsValid(projectId))
        {
            return Problems.InvalidProjectId();
        }
        if (!caller.AllProjects && !await grants.IsAdminAsync(projectId, caller.Kind, caller.PrincipalId, cancellationToken).ConfigureAwait(false))
        {
            logger.LogInformation("Refused {Caller}: not admin of project {ProjectId}.", caller.Caller, projectId);
            return Problems.Create(StatusCodes.Status403Forbidden, "not_project_admin", "Forbidden.",
                $"You are not an admin of project '{projectId}'. Ask an admin to grant you access.");
        }
        return await projects.ExistsAsync(projectId, cancellationToken).ConfigureAwait(false) ? null : Problems.ProjectNotFound(projectId);
    }

    /// <summary>
    /// A refused or failed storage call, one cut off by its network timeout or a handler's deadline (cancellation the
    /// caller did not ask for), or several such from parallel calls or the SDK's retries.
    /// </summary>
    private static bool IsStorageFailure(Exception e, CancellationToken aborted) => e switch
    {
        RequestFailedException => true,
        OperationCanceledException => !aborted.IsCancellationRequested,
        AggregateException a => a.InnerExceptions.Count > 0 && a.InnerExceptions.All(i => IsStorageFailure(i, aborted)),
        _ => false,
    };
}
