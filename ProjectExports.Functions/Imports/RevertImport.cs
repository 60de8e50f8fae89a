using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using ProjectExports.Http;
using ProjectExports.Imports;

namespace ProjectExports.Functions.Imports;

public sealed class RevertImport(ImportHttpHandlers handlers)
{
    [Function("RevertImport")]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Function, "post", Route = Routes.ImportRevert)] HttpRequest request, string projectId, string importId) =>
        handlers.RevertAsync(request, projectId, importId, ApiGate.CallerOf(request).Caller);
}
