using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using ProjectExports.Http;
using ProjectExports.Projects;

namespace ProjectExports.Functions.Projects;

public sealed class CreateProject(ProjectHttpHandlers handlers)
{
    [Function("CreateProject")]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Function, "put", Route = Routes.Project)] HttpRequest request, string projectId) =>
        handlers.CreateAsync(request, projectId, ApiGate.CallerOf(request));
}
