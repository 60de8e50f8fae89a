using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace ProjectExports.Tests.Infrastructure;

public static class Problem
{
    /// <summary>Asserts an RFC 9457 problem response with the status and code, and returns its body.</summary>
    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        using (response)
        {
            Assert.Equal(status, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(code, body.GetProperty("code").GetString());
            Assert.Equal((int)status, body.GetProperty("status").GetInt32());
            Assert.False(string.IsNullOrEmpty(body.GetProperty("title").GetString()));
            Assert.False(string.IsNullOrEmpty(body.GetProperty("detail").GetString()));
            Assert.Equal($"urn:project-exports:problem:{code}", body.GetProperty("type").GetString());
            return body;
        }
    }
}
