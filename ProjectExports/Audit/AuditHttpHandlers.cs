using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using ProjectExports.Http;
using ProjectExports.Projects;
using ProjectExports.Storage;

namespace ProjectExports.Audit;

/// <summary>GET …/audit-log: the project's audit entries, newest first, paged.</summary>
public sealed class AuditHttpHandlers(AuditLog audit, ProjectStore projects, ILogger<AuditHttpHandlers> logger)
{
    public Task<IResult> ListAsync(HttpRequest request, string projectId) => HttpHandling.GuardAsync(logger, async () =>
    {
        var cancellationToken = request.HttpContext.RequestAborted;
        if (!ProjectIds.IsValid(projectId)) return Problems.InvalidProjectId();
        var (query, problem) = PageQuery.Parse(request, IsAuditKey);
        if (problem is not null) return problem;
        if (await projects.GetProjectAsync(projectId, cancellationToken) is null) return Problems.ProjectNotFound(projectId);

        var page = await audit.ListAsync(projectId, query!.After, query.Limit, cancellationToken);
        return Results.Json(new ListPage<AuditEntry>(page.Items, ContinuationTokens.Encode(page.ContinueAfter)), ApiJsonContext.Default.ListPageAuditEntry);
    });

    private static bool IsAuditKey(string rowKey) => TableKeys.IsValidKey(rowKey);
}
