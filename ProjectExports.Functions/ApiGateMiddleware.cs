using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using ProjectExports.Http;

namespace ProjectExports.Functions;

/// <summary>
/// Puts every HTTP function behind the core's <see cref="ApiGate"/>, by the function's name. It runs inside the
/// ASP.NET Core integration's own middleware, which supplies the HttpContext and, once the function is done,
/// executes the IResult left as the invocation's result: the function's answer, or the gate's problem instead.
/// </summary>
public sealed class ApiGateMiddleware(ApiGate gate) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        if (context.GetHttpContext() is not { } http)
        {
            await next(context); // a queue or timer trigger
            return;
        }
        var projectId = context.BindingContext.BindingData.TryGetValue("projectId", out var id) ? id?.ToString() : null;
        if (await gate.RunAsync(http, context.FunctionDefinition.Name, projectId, () => next(context)) is { } problem)
        {
            context.GetInvocationResult().Value = problem;
        }
    }
}
