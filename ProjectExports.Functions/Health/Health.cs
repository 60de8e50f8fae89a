using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using ProjectExports.Http;

namespace ProjectExports.Functions.Health;

/// <summary>Anonymous: readiness probes and scripts call it without a function key.</summary>
public sealed class Health(HealthHandler handler)
{
    [Function("Health")]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = Routes.Health)] HttpRequest request) =>
        handler.CheckAsync(request);
}
