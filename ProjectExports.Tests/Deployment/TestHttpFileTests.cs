using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using ProjectExports.Tests.Imports;
using ProjectExports.Tests.Infrastructure;

namespace ProjectExports.Tests.Deployment;

/// <summary>
/// test.http (the README walk-through as REST Client requests) works against the LocalHost as written, and it
/// covers every operation of the OpenAPI document. The file's own Authorization headers carry the fixture's admin key.
/// </summary>
public sealed partial class TestHttpFileTests(LocalHostFixture host) : IClassFixture<LocalHostFixture>
{
    private sealed record HttpFileRequest(string? Name, string Method, string Url, List<(string Name, string Value)> Headers, string Body);

    [GeneratedRegex(@"^@(?<name>\w+)\s*=\s*(?<value>.*)$")]
    private static partial Regex Variable();

    [GeneratedRegex(@"^#\s*@name\s+(?<name>\w+)$")]
    private static partial Regex RequestName();

    [GeneratedRegex(@"\{\{(?<expression>[^}]+)\}\}")]
    private static partial Regex Placeholder();

    /// <summary>The file's active variables and requests, as the REST Client reads them (comment lines ignored).</summary>
    private static (Dictionary<string, string> Variables, List<HttpFileRequest> Requests) Parse(string text)
    {
        var variables = new Dictionary<string, string>();
        var requests = new List<HttpFileRequest>();
        foreach (var block in text.Split("###"))
        {
            string? name = null;
            string? requestLine = null;
            var headers = new List<(string, string)>();
            var body = new List<string>();
            var inBody = false;
            foreach (var raw in block.Split('\n').Skip(1).Select(l => l.TrimEnd('\r')))
            {
                if (RequestName().Match(raw) is { Success: true } named) { name = named.Groups["name"].Value; continue; }
                if (raw.StartsWith('#')) continue;
                if (requestLine is null)
                {
                    if (Variable().Match(raw) is { Success: true } variable) variables[variable.Groups["name"].Value] = variable.Groups["value"].Value.Trim();
                    else if (raw.Length > 0) requestLine = raw;
                    continue;
                }
                if (inBody) body.Add(raw);
                else if (raw.Length == 0) inBody = true;
                else headers.Add((raw[..raw.IndexOf(':')].Trim(), raw[(raw.IndexOf(':') + 1)..].Trim()));
            }
            if (requestLine is null) continue;
            var parts = requestLine.Split(' ', 2);
            requests.Add(new HttpFileRequest(name, parts[0], parts[1].Trim(), headers, string.Join('\n', body).Trim()));
        }
        return (variables, requests);
    }

    private static (Dictionary<string, string> Variables, List<HttpFileRequest> Requests) File() =>
        Parse(System.IO.File.ReadAllText(Path.Combine(RepositoryPaths.Root, "test.http")));

    [Fact]
    public async Task Every_request_succeeds_against_the_local_host()
    {
        var project = await host.SeedProjectAsync();
        var (variables, requests) = File();
        Assert.Equal("http://127.0.0.1:7071/api", variables["baseUrl"]);
        variables["baseUrl"] = new Uri(host.Http.BaseAddress!, "/api").ToString();
        variables["projectId"] = project.Project.Id;
        variables["apiKey"] = host.AdminApiKey;
        using var client = host.CreateClient(null);
        var responses = new Dictionary<string, JsonElement>();

        string Substitute(string text) => Placeholder().Replace(text, m =>
        {
            var expression = m.Groups["expression"].Value;
            if (variables.TryGetValue(expression, out var value)) return value;
            // "<request>.response.body.$.<property>", the only request-variable form the file uses.
            var path = expression.Split('.');
            Assert.True(path is [_, "response", "body", "$", _], $"Unsupported placeholder {m.Value}.");
            return responses[path[0]].GetProperty(path[4]).GetString()!;
        });

        Assert.NotEmpty(requests);
        foreach (var request in requests)
        {
            using var message = new HttpRequestMessage(new HttpMethod(request.Method), Substitute(request.Url));
            foreach (var (header, value) in request.Headers.Where(h => h.Name != "Content-Type"))
            {
                Assert.True(message.Headers.TryAddWithoutValidation(header, Substitute(value)), $"Header {header} of {request.Url}.");
            }
            if (request.Body.Length > 0)
            {
                message.Content = new StringContent(Substitute(request.Body));
                message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(request.Headers.Single(h => h.Name == "Content-Type").Value);
            }
            using var response = await client.SendAsync(message);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"{request.Method} {request.Url} answered {(int)response.StatusCode}: {text}");
            if (request.Name is { } name)
            {
                var body = JsonDocument.Parse(text).RootElement.Clone();
                responses[name] = body;
                // The file says to poll until SUCCESS before going on; the test does the polling.
                if (body.TryGetProperty("status", out _))
                {
                    var id = body.GetProperty("id").GetString()!;
                    var finished = request.Url.Contains("project-imports", StringComparison.Ordinal)
                        ? await host.WaitForImportAsync(project.Project.Id, id)
                        : await host.WaitForExportAsync(project.Project.Id, id);
                    Assert.Equal("SUCCESS", finished.GetProperty("status").GetString());
                }
            }
        }
    }

    [Fact]
    public void It_covers_every_operation_of_the_openapi_document()
    {
        var covered = File().Requests
            .Select(r => $"{r.Method} {Regex.Replace(r.Url.Split('?')[0].Replace("{{baseUrl}}", "", StringComparison.Ordinal), @"\{\{[^}]+\}\}", "{}")}")
            .ToHashSet();
        var document = JsonDocument.Parse(System.IO.File.ReadAllText(Path.Combine(RepositoryPaths.Root, "openapi", "project-exports.openapi.json"))).RootElement;
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject().Where(o => o.Name is "get" or "post" or "put"))
            {
                Assert.Contains($"{operation.Name.ToUpperInvariant()} {Regex.Replace(path.Name, @"\{[^}]+\}", "{}")}", covered);
            }
        }
    }
}
