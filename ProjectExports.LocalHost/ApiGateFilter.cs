using ProjectExports.Http;

namespace ProjectExports.LocalHost;

/// <summary>
/// Puts every API endpoint behind the core's <see cref="ApiGate"/>, by the endpoint's name (its Azure Function's
/// name). A filter rather than middleware: it wraps the handler making its answer, not the writing of the answer, as
/// the Functions app's worker middleware does.
/// </summary>
internal sealed class ApiGateFilter(ApiGate gate) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var name = http.GetEndpoint()?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName ?? "";
        object? answer = null;
        var problem = await gate.RunAsync(http, name, http.Request.RouteValues["projectId"] as string, async () => answer = await next(context));
        return problem ?? answer;
    }
}
