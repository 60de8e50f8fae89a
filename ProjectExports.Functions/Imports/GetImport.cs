using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using ProjectExports.Http;
using ProjectExports.Imports;

namespace ProjectExports.Functions.Imports;

public sealed class GetImport(ImportHttpHandlers handlers)
{
    [Function("GetImport")]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Function, "get", "head", Route = Routes.Import)] HttpRequest request, string projectId, string importId) =>
        handlers.GetAsync(request, projectId, importId);
}
