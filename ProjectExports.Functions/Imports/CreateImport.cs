using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using ProjectExports.Http;
using ProjectExports.Imports;

namespace ProjectExports.Functions.Imports;

public sealed class CreateImport(ImportHttpHandlers handlers)
{
    [Function("CreateImport")]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Function, "post", Route = Routes.Imports)] HttpRequest request, string projectId) =>
        handlers.CreateAsync(request, projectId, ApiGate.CallerOf(request).Caller);
}
