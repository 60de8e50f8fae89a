using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using ProjectExports.Tests.Infrastructure;

namespace ProjectExports.Tests.Http;

/// <summary>The HTTP protocol's edges on the LocalHost, over real sockets: wrong methods, HEAD, and a body that stalls.</summary>
public sealed class HttpProtocolTests(LocalHostFixture host) : IClassFixture<LocalHostFixture>
{
    [Theory]
    [InlineData("DELETE", "/api/projects/p1/project-exports", "GET, HEAD, POST")]
    [InlineData("PUT", "/api/health", "GET, HEAD")]
    [InlineData("POST", "/api/projects/p1/project-exports/20261122100000000-abc/download", "GET, HEAD")]
    public async Task A_wrong_method_on_a_route_is_405_with_Allow_and_a_problem(string method, string path, string allowed)
    {
        using var response = await host.Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(allowed, string.Join(", ", response.Content.Headers.Allow.Order(StringComparer.Ordinal)));
        await AssertProblemAsync(response, 405, "method_not_allowed");
    }

    [Fact]
    public async Task An_unknown_path_is_still_404_route_not_found()
    {
        using var response = await host.Http.GetAsync("/api/nothing-here");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        await AssertProblemAsync(response, 404, "route_not_found");
    }

    [Fact]
    public async Task HEAD_answers_like_GET_without_a_body()
    {
        var project = (await host.SeedProjectAsync()).Project.Id;
        foreach (var path in new[] { "/api/health", $"/api/projects/{project}/project-exports" })
        {
            using var get = await host.Http.GetAsync(path);
            using var head = await host.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, path));

            Assert.Equal(HttpStatusCode.OK, get.StatusCode);
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
            Assert.Equal(get.Content.Headers.ContentType, head.Content.Headers.ContentType);
            Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        }
    }

    [Fact]
    public async Task A_URI_or_headers_over_the_limits_are_414_and_431_with_a_problem()
    {
        using var longUri = await host.Http.GetAsync("/api/health?pad=" + new string('x', 10_000));
        Assert.Equal(HttpStatusCode.RequestUriTooLong, longUri.StatusCode);
        await AssertProblemAsync(longUri, 414, "uri_too_long");

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/health");
        request.Headers.TryAddWithoutValidation("X-Pad", new string('x', 40_000));
        using var bigHeaders = await host.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, bigHeaders.StatusCode);
        await AssertProblemAsync(bigHeaders, 431, "headers_too_large");
    }

    [Fact]
    public async Task A_body_that_stalls_is_408_with_a_problem_and_no_application_error()
    {
        var project = (await host.SeedProjectAsync()).Project.Id;
        using var client = new TcpClient();
        await client.ConnectAsync(host.Http.BaseAddress!.Host, host.Http.BaseAddress.Port);
        var stream = client.GetStream();
        // Announces 1,000 bytes, sends one, then nothing: Kestrel's minimum body data rate (240 B/s after a 5 s grace) trips.
        var head = $"POST /api/projects/{project}/project-exports HTTP/1.1\r\nHost: localhost\r\nAuthorization: Api-Key {host.AdminApiKey}\r\n" +
            "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));

        using var reader = new StreamReader(stream, Encoding.UTF8);
        stream.ReadTimeout = 30_000;
        var response = await reader.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.StartsWith("HTTP/1.1 408", response);
        Assert.Contains("Content-Type: application/problem+json", response);
        Assert.Contains("\"code\":\"request_timeout\"", response);
        Assert.DoesNotContain(host.Logs.Lines, line => line.StartsWith("Error") || line.StartsWith("Critical"));
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, int status, string code)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()));
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("detail").GetString()));
    }
}
