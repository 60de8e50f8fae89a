using System.Net;
using System.Text;
using ProjectExports.Tests.Infrastructure;

namespace ProjectExports.Tests.Security;

/// <summary>Every project endpoint × every kind of credential, over HTTP through the LocalHost against Azurite.</summary>
public sealed class AccessMatrixTests(SecuredProjectsFixture host) : IClassFixture<SecuredProjectsFixture>
{
    public static readonly string[] Endpoints =
    [
        "create export", "list exports", "get export", "download export", "audit log",
        "create import", "validate import", "list imports", "get import", "download import plan", "get project",
        "create project", "list projects", "revert import",
    ];

    // Expected answer per credential: a success (the endpoint's own 2xx), or a status and problem code.
    private static readonly Dictionary<string, (HttpStatusCode? Status, string? Code)> Expected = new()
    {
        ["none"] = (HttpStatusCode.Unauthorized, "authentication_required"),
        ["malformed"] = (HttpStatusCode.Unauthorized, "invalid_authorization_header"),
        ["bad signature"] = (HttpStatusCode.Unauthorized, "invalid_token"),
        ["wrong issuer"] = (HttpStatusCode.Unauthorized, "invalid_token"),
        ["wrong audience"] = (HttpStatusCode.Unauthorized, "invalid_token"),
        ["expired"] = (HttpStatusCode.Unauthorized, "invalid_token"),
        ["not yet valid"] = (HttpStatusCode.Unauthorized, "invalid_token"),
        ["valid non-admin"] = (HttpStatusCode.Forbidden, "not_project_admin"),
        ["admin of another project"] = (HttpStatusCode.Forbidden, "not_project_admin"),
        ["admin of this project"] = (null, null),
        ["all-projects role"] = (null, null),
        ["revoked key"] = (HttpStatusCode.Unauthorized, "invalid_api_key"),
        ["key of another project"] = (HttpStatusCode.Forbidden, "not_project_admin"),
        ["valid admin key"] = (null, null),
        ["all-projects key"] = (null, null),
    };

    /// <summary>
    /// The endpoints that name no one project differ only once the caller is authenticated: anyone may list (and sees
    /// their own projects), only an admin of all projects may create.
    /// </summary>
    private static (HttpStatusCode? Status, string? Code) ExpectedFor(string endpoint, string credential) => (endpoint, Expected[credential]) switch
    {
        (_, { Status: HttpStatusCode.Unauthorized } refused) => refused,
        ("list projects", _) => (null, null),
        ("create project", _) when credential is "all-projects role" or "all-projects key" => (null, null),
        ("create project", _) => (HttpStatusCode.Forbidden, "not_all_projects_admin"),
        (_, var expected) => expected,
    };

    public static TheoryData<string, string> Matrix()
    {
        var data = new TheoryData<string, string>();
        foreach (var endpoint in Endpoints)
            foreach (var credential in Expected.Keys)
                data.Add(endpoint, credential);
        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Each_endpoint_admits_only_admins_of_the_project(string endpoint, string credential)
    {
        var authorization = host.Credential(credential);
        using var client = host.CreateClient(authorization);
        using var response = await client.SendAsync(Request(endpoint, host.ProjectA, host.ExportOfA, host.ImportOfA));

        var (status, code) = ExpectedFor(endpoint, credential);
        if (status is null)
        {
            // Creating project A again under its own name is the idempotent 200.
            Assert.Equal(endpoint is "create export" or "create import" or "revert import" ? HttpStatusCode.Accepted : HttpStatusCode.OK, response.StatusCode);
            return;
        }
        var body = await response.Content.ReadAsStringAsync();
        using var copy = new HttpResponseMessage(response.StatusCode) { Content = new StringContent(body, Encoding.UTF8, "application/problem+json") };
        await Problem.ReadAsync(copy, status.Value, code!);
        if (status == HttpStatusCode.Unauthorized)
        {
            var challenge = string.Join(", ", response.Headers.WwwAuthenticate.Select(h => h.ToString()));
            Assert.True(challenge.Contains("Bearer", StringComparison.Ordinal) || challenge.Contains("Api-Key", StringComparison.Ordinal), challenge);
        }
        // A problem body never echoes the credential, nor any part of it.
        if (authorization is not null)
        {
            var secret = authorization[(authorization.IndexOf(' ') + 1)..];
            Assert.DoesNotContain(secret, body);
            Assert.DoesNotContain(secret[^Math.Min(12, secret.Length)..], body);
        }
    }

    [Fact]
    public async Task Health_needs_no_credentials()
    {
        using var client = host.CreateClient(null);
        using var response = await client.GetAsync("/api/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("Bearer")]
    [InlineData("Api-Key ")]
    [InlineData("Bearer a b")]
    [InlineData("Api-Key pe_abcd_short")]
    [InlineData("Bearer not-a-jwt")]
    public async Task Malformed_credentials_are_401_never_500(string authorization)
    {
        using var client = host.CreateClient(authorization);
        using var response = await client.GetAsync($"/api/projects/{host.ProjectA}/project-exports");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.NotEmpty(response.Headers.WwwAuthenticate);
    }

    public static HttpRequestMessage Request(string endpoint, string projectId, string exportId, string importId) => endpoint switch
    {
        "create import" => new HttpRequestMessage(HttpMethod.Post, $"/api/projects/{projectId}/project-imports") { Content = Document() },
        "validate import" => new HttpRequestMessage(HttpMethod.Post, $"/api/projects/{projectId}/project-imports/validate") { Content = Document() },
        "list imports" => new HttpRequestMessage(HttpMethod.Get, $"/api/projects/{projectId}/project-imports"),
        "get import" => new HttpRequestMessage(HttpMethod.Get, $"/api/projects/{projectId}/project-imports/{importId}"),
        "download import plan" => new HttpRequestMessage(HttpMethod.Get, $"/api/projects/{projectId}/project-imports/{importId}/plan"),
        // Reverting the import again is harmless: rows already back as they were are no conflict.
        "revert import" => new HttpRequestMessage(HttpMethod.Post, $"/api/projects/{projectId}/project-imports/{importId}/revert"),
        "create export" => new HttpRequestMessage(HttpMethod.Post, $"/api/projects/{projectId}/project-exports"),
        "list exports" => new HttpRequestMessage(HttpMethod.Get, $"/api/projects/{projectId}/project-exports"),
        "get export" => new HttpRequestMessage(HttpMethod.Get, $"/api/projects/{projectId}/project-exports/{exportId}"),
        "download export" => new HttpRequestMessage(HttpMethod.Get, $"/api/projects/{projectId}/project-exports/{exportId}/download"),
        "audit log" => new HttpRequestMessage(HttpMethod.Get, $"/api/projects/{projectId}/audit-log"),
        "get project" => new HttpRequestMessage(HttpMethod.Get, $"/api/projects/{projectId}"),
        "create project" => new HttpRequestMessage(HttpMethod.Put, $"/api/projects/{projectId}")
        {
            Content = new StringContent($$"""{"name": "{{LocalHostFixture.SeededProjectName}}"}""", Encoding.UTF8, "application/json"),
        },
        "list projects" => new HttpRequestMessage(HttpMethod.Get, "/api/projects"),
        _ => throw new ArgumentOutOfRangeException(nameof(endpoint), endpoint, null),
    };

    private static StringContent Document() => new(SecuredProjectsFixture.ImportDocument, Encoding.UTF8, "application/json");
}
