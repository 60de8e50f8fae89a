using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using ProjectExports.Http;
using ProjectExports.Imports;

namespace ProjectExports.Functions.Imports;

public sealed class DownloadImportPlan(ImportHttpHandlers handlers)
{
    [Function("DownloadImportPlan")]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Function, "get", "head", Route = Routes.ImportPlan)] HttpRequest request, string projectId, string importId) =>
        handlers.DownloadPlanAsync(request, projectId, importId);
}
