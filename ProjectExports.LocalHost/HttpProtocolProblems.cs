using Microsoft.AspNetCore.Diagnostics;
using ProjectExports.Http;

namespace ProjectExports.LocalHost;

/// <summary>
/// The HTTP protocol's own errors as problem details, written once for every route: no route (404
/// <c>route_not_found</c>), a route without this method (405 <c>method_not_allowed</c>, with the routing's
/// <c>Allow</c> header), and a URI or headers over the limits (414, 431). HEAD works on every GET route. A body the
/// server gives up on while a handler reads it is answered by the core's <c>ApiGate</c>, in both hosts.
/// </summary>
/// <remarks>
/// Kestrel answers a request line or headers over its limits before any application code runs, with no way to
/// write a body. So the app holds the limits itself (<see cref="MaxTargetLength"/>, <see cref="MaxHeadersLength"/>)
/// and answers 414/431 problems, with Kestrel's own limits four times higher as the backstop. Only beyond those, or
/// for a request line Kestrel cannot parse at all, does its empty response remain.
/// </remarks>
public static class HttpProtocolProblems
{
    /// <summary>Longest request target (path and query) the app accepts: Kestrel's default request line.</summary>
    public const int MaxTargetLength = 8 * 1024;

    /// <summary>Most header bytes (names and values) the app accepts: Kestrel's default.</summary>
    public const int MaxHeadersLength = 32 * 1024;

    /// <summary>Raises Kestrel's own limits above the app's, so that the app is the one that answers.</summary>
    public static void HoldRequestLimitsInTheApp(this WebApplicationBuilder builder) =>
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestLineSize = 4 * MaxTargetLength;
            kestrel.Limits.MaxRequestHeadersTotalSize = 4 * MaxHeadersLength;
        });

    public static void UseHttpProtocolProblems(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            var target = context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()?.RawTarget ?? "";
            if (target.Length > MaxTargetLength)
            {
                await Problems.Create(StatusCodes.Status414UriTooLong, "uri_too_long", "The URI is too long.",
                    $"The path and query are {target.Length:N0} characters; at most {MaxTargetLength:N0} are accepted.").ExecuteAsync(context);
                return;
            }
            var headers = context.Request.Headers.Sum(h => h.Key.Length + h.Value.Sum(v => v?.Length ?? 0));
            if (headers > MaxHeadersLength)
            {
                await Problems.Create(StatusCodes.Status431RequestHeaderFieldsTooLarge, "headers_too_large", "The request headers are too large.",
                    $"The headers hold {headers:N0} characters; at most {MaxHeadersLength:N0} are accepted.").ExecuteAsync(context);
                return;
            }
            await next(context);
        });
        app.UseStatusCodePages(async pages =>
        {
            var context = pages.HttpContext;
            var problem = context.Response.StatusCode switch
            {
                StatusCodes.Status404NotFound => Problems.NotFound("route_not_found", "No endpoint has this path; see docs/api.md for the API."),
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
}
