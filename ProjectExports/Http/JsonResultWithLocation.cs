using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;

namespace ProjectExports.Http;

/// <summary>
/// A JSON body with a status code and a Location header, serialized with the API's own contract; with
/// <paramref name="retryAfter"/>, a <c>Retry-After</c> header too (a 202 tells the poller when to look).
/// </summary>
public sealed class JsonResultWithLocation<T>(T value, JsonTypeInfo<T> typeInfo, int statusCode, string location, TimeSpan? retryAfter = null) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.Headers.Location = location;
        if (retryAfter is { } delay) RetryAfter.Set(httpContext.Response, delay);
        return Results.Json(value, typeInfo, statusCode: statusCode).ExecuteAsync(httpContext);
    }
}
