using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using ProjectExports.Http;
using ProjectExports.Projects;

namespace ProjectExports.Functions.Projects;

public sealed class ListProjects(ProjectHttpHandlers handlers)
{
    [Function("ListProjects")]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Function, "get", "head", Route = Routes.Projects)] HttpRequest request) =>
        handlers.ListAsync(request, ApiGate.CallerOf(request));
}
