using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using ProjectExports.Http;
using ProjectExports.Projects;

namespace ProjectExports.Functions.Projects;

public sealed class GetProject(ProjectHttpHandlers handlers)
{
    [Function("GetProject")]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Function, "get", "head", Route = Routes.Project)] HttpRequest request, string projectId) =>
        handlers.GetAsync(request, projectId);
}
