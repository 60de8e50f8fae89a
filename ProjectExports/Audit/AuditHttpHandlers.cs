using Microsoft.AspNetCore.Http;
using ProjectExports.Http;
using ProjectExports.Storage;

namespace ProjectExports.Audit;

/// <summary>GET …/audit-log: the project's audit entries, newest first, paged; behind the project gate (<see cref="ApiGate"/>).</summary>
public sealed class AuditHttpHandlers(AuditLog audit)
{
    public async Task<IResult> ListAsync(HttpRequest request, string projectId)
    {
        if (!PageQuery.Parse(request, IsAuditKey).TryGetValue(out var query, out var problem)) return problem;

        var page = await audit.ListAsync(projectId, query.After, query.Limit, request.HttpContext.RequestAborted);
        return Results.Json(new ListPage<AuditEntry>(page.Items, ContinuationTokens.Encode(page.ContinueAfter)), ApiJsonContext.Wire.ListPageAuditEntry);
    }

    private static bool IsAuditKey(string rowKey) => TableKeys.IsValidKey(rowKey);
}
