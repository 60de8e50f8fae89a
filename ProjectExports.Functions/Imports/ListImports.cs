using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using ProjectExports.Http;
using ProjectExports.Imports;

namespace ProjectExports.Functions.Imports;

public sealed class ListImports(ImportHttpHandlers handlers)
{
    [Function("ListImports")]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Function, "get", "head", Route = Routes.Imports)] HttpRequest request, string projectId) =>
        handlers.ListAsync(request, projectId);
}
