using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using ProjectExports.Exports;
using ProjectExports.Http;

namespace ProjectExports.Functions.Exports;

public sealed class GetExport(ExportHttpHandlers handlers)
{
    [Function("GetExport")]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Function, "get", "head", Route = Routes.Export)] HttpRequest request, string projectId, string exportId) =>
        handlers.GetAsync(request, projectId, exportId);
}
