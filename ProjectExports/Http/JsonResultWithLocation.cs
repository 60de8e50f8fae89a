using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;

namespace ProjectExports.Http;

/// <summary>A JSON body with a status code and a Location header, serialized with the API's own contract.</summary>
public sealed class JsonResultWithLocation<T>(T value, JsonTypeInfo<T> typeInfo, int statusCode, string location) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.Headers.Location = location;
        return Results.Json(value, typeInfo, statusCode: statusCode).ExecuteAsync(httpContext);
    }
}
