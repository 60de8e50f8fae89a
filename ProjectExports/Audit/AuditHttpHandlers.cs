using Microsoft.AspNetCore.Http;
using ProjectExports.Http;
using ProjectExports.Security;
using ProjectExports.Storage;

namespace ProjectExports.Audit;

/// <summary>GET …/audit-log: the project's audit entries, newest first, paged.</summary>
public sealed class AuditHttpHandlers(ProjectAccess access, AuditLog audit)
{
    public Task<IResult> ListAsync(HttpRequest request, string projectId) => access.GuardAsync(request, projectId, async (_, cancellationToken) =>
    {
        var (query, problem) = PageQuery.Parse(request, IsAuditKey);
        if (problem is not null) return problem;

        var page = await audit.ListAsync(projectId, query!.After, query.Limit, cancellationToken);
        return Results.Json(new ListPage<AuditEntry>(page.Items, ContinuationTokens.Encode(page.ContinueAfter)), ApiJsonContext.Wire.ListPageAuditEntry);
    });

    private static bool IsAuditKey(string rowKey) => TableKeys.IsValidKey(rowKey);
}
