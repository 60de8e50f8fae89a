using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using ProjectExports.Exports;
using ProjectExports.Http;

namespace ProjectExports.Functions.Exports;

public sealed class ListExports(ExportHttpHandlers handlers)
{
    [Function("ListExports")]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Function, "get", "head", Route = Routes.Exports)] HttpRequest request, string projectId) =>
        handlers.ListAsync(request, projectId);
}
