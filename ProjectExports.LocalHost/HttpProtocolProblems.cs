using Microsoft.AspNetCore.Diagnostics;
using ProjectExports.Http;

namespace ProjectExports.LocalHost;

/// <summary>
/// The HTTP protocol's own errors as problem details, written once for every route: no route (404
/// <c>route_not_found</c>), a route without this method (405 <c>method_not_allowed</c>, with the routing's
/// <c>Allow</c> header), and a request the server gave up on while the app read it (Kestrel's
/// <see cref="BadHttpRequestException"/>: a body too slow 408, too large 413, badly framed 400), which is the
/// client's fault and so is logged as such rather than as an unhandled exception. HEAD works on every GET route.
/// </summary>
/// <remarks>
/// Requests Kestrel rejects before any application code runs (request line or URI too long 414, headers too large
/// 431, a malformed request line) keep Kestrel's empty response: Kestrel offers no way to write their body.
/// </remarks>
public static class HttpProtocolProblems
{
    public static void UseHttpProtocolProblems(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
            }
            catch (BadHttpRequestException e) when (!context.Response.HasStarted)
            {
                app.Logger.LogInformation("Rejected a bad request ({Status}): {Reason}", e.StatusCode, e.Message);
                context.Response.Clear();
                await Problem(e.StatusCode, "bad_request", e.Message).ExecuteAsync(context);
            }
        });
        app.UseStatusCodePages(async pages =>
        {
            var context = pages.HttpContext;
            var problem = context.Response.StatusCode switch
            {
                StatusCodes.Status404NotFound => Problems.NotFound("route_not_found", "No endpoint has this path; see the README for the API."),
                StatusCodes.Status405MethodNotAllowed => Problems.Create(StatusCodes.Status405MethodNotAllowed, "method_not_allowed", "Method not allowed.",
                    $"This path does not take {context.Request.Method}; it takes {context.Response.Headers.Allow}."),
                _ => null,
            };
            if (problem is not null)
            {
                await problem.ExecuteAsync(context);
            }
        });
    }

    /// <summary>Lets every GET endpoint of <paramref name="group"/> answer HEAD too; Kestrel sends no body for HEAD.</summary>
    public static RouteGroupBuilder AnswerHeadLikeGet(this RouteGroupBuilder group)
    {
        ((IEndpointConventionBuilder)group).Add(endpoint =>
        {
            if (endpoint.Metadata.OfType<IHttpMethodMetadata>().LastOrDefault() is { } methods
                && methods.HttpMethods.Contains(HttpMethods.Get) && !methods.HttpMethods.Contains(HttpMethods.Head))
            {
                endpoint.Metadata.Add(new HttpMethodMetadata([.. methods.HttpMethods, HttpMethods.Head]));
            }
        });
        return group;
    }

    private static IResult Problem(int status, string code, string detail) => status switch
    {
        StatusCodes.Status408RequestTimeout => Problems.Create(status, "request_timeout", "The request body arrived too slowly.", detail),
        StatusCodes.Status413PayloadTooLarge => Problems.Create(status, "body_too_large", "The body is too large.", detail),
        _ => Problems.Create(status, code, "The request is not valid.", detail),
    };
}
