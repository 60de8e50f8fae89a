using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using ProjectExports.Exports;
using ProjectExports.Http;

namespace ProjectExports.Functions.Exports;

public sealed class CreateExport(ExportHttpHandlers handlers)
{
    [Function("CreateExport")]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Function, "post", Route = Routes.Exports)] HttpRequest request, string projectId) =>
        handlers.CreateAsync(request, projectId, ApiGate.CallerOf(request).Caller);
}
