using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using ProjectExports.Audit;
using ProjectExports.Http;

namespace ProjectExports.Functions.Audit;

public sealed class ListAuditLog(AuditHttpHandlers handlers)
{
    [Function("ListAuditLog")]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Function, "get", "head", Route = Routes.AuditLog)] HttpRequest request, string projectId) =>
        handlers.ListAsync(request, projectId);
}
