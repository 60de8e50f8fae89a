using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ProjectExports.LocalHost;
using ProjectExports.Security;
using ProjectExports.Storage;
using ProjectExports.Tests.Infrastructure;

namespace ProjectExports.Tests.Security;

/// <summary>The operator's command line against the same storage the LocalHost serves from, and its effect over HTTP.</summary>
public sealed class ManagementCommandTests(LocalHostFixture host) : IClassFixture<LocalHostFixture>
{
    private async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [StorageNames.ConnectionSetting] = host.StorageConnectionString })
            .Build();
        using var output = new StringWriter();
        using var error = new StringWriter();
        var commandLine = new LocalHostCommandLine((_, _) => throw new InvalidOperationException("A management command started the server."), () => configuration);
        var exit = await commandLine.RunAsync(args, output, error, CancellationToken.None);
        return (exit, output.ToString(), error.ToString());
    }

    private static string KeyFrom(string output) => output.Split('\n', StringSplitOptions.TrimEntries).Single(l => l.StartsWith(ApiKeySecret.Prefix, StringComparison.Ordinal));

    private async Task<HttpStatusCode> ListAsAsync(string authorization, string projectId)
    {
        using var client = host.CreateClient(authorization);
        using var response = await client.GetAsync($"/api/projects/{projectId}/project-exports");
        return response.StatusCode;
    }

    [Fact]
    public async Task A_project_key_works_on_its_project_only_is_listed_without_its_secret_and_stops_when_revoked()
    {
        var mine = (await host.SeedProjectAsync()).Project.Id;
        var other = (await host.SeedProjectAsync()).Project.Id;
        var (exit, output, _) = await RunAsync("api-keys", "create", "--project", mine, "--name", "ci pipeline");
        Assert.Equal(0, exit);
        var key = KeyFrom(output);
        ApiKeySecret.TryParse(key, out var keyId);

        Assert.Equal(HttpStatusCode.OK, await ListAsAsync("Api-Key " + key, mine));
        Assert.Equal(HttpStatusCode.Forbidden, await ListAsAsync("Api-Key " + key, other));

        var list = await RunAsync("api-keys", "list");
        var line = Assert.Single(list.Output.Split('\n'), l => l.StartsWith(keyId, StringComparison.Ordinal));
        Assert.Contains("active", line);
        Assert.Contains(mine, line);
        Assert.Contains("ci pipeline", line);
        Assert.DoesNotContain(key[(key.IndexOf('_', ApiKeySecret.Prefix.Length) + 1)..], list.Output);

        Assert.Equal(0, (await RunAsync("api-keys", "revoke", keyId)).Exit);
        // The running host trusts a key it verified for ApiKeyCacheDuration; the command runs as another process would.
        host.Clock.Advance(host.Services.GetRequiredService<IOptions<AuthOptions>>().Value.ApiKeyCacheDuration);
        Assert.Equal(HttpStatusCode.Unauthorized, await ListAsAsync("Api-Key " + key, mine));
        Assert.Contains("revoked", (await RunAsync("api-keys", "list")).Output.Split('\n').Single(l => l.StartsWith(keyId, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Grants_give_and_take_a_users_admin_of_one_project()
    {
        var project = (await host.SeedProjectAsync()).Project.Id;
        var token = "Bearer " + host.Identity.Mint(host.Clock.GetUtcNow(), "operator-granted-user");
        Assert.Equal(HttpStatusCode.Forbidden, await ListAsAsync(token, project));

        Assert.Equal(0, (await RunAsync("grants", "add", "--project", project, "--user", "operator-granted-user")).Exit);
        Assert.Equal(HttpStatusCode.OK, await ListAsAsync(token, project));
        Assert.Contains("operator-granted-user", (await RunAsync("grants", "list", "--project", project)).Output);

        Assert.Equal(0, (await RunAsync("grants", "remove", "--project", project, "--user", "operator-granted-user")).Exit);
        Assert.Equal(HttpStatusCode.Forbidden, await ListAsAsync(token, project));
    }

    [Fact]
    public async Task Projects_create_makes_an_empty_project_an_all_projects_key_can_use()
    {
        var (exit, output, _) = await RunAsync("api-keys", "create", "--all-projects");
        Assert.Equal(0, exit);
        var key = KeyFrom(output);
        Assert.Equal(HttpStatusCode.NotFound, await ListAsAsync("Api-Key " + key, "made-by-cli"));
        Assert.Equal(0, (await RunAsync("projects", "create", "made-by-cli", "--name", "Made by CLI")).Exit);
        Assert.Equal(HttpStatusCode.OK, await ListAsAsync("Api-Key " + key, "made-by-cli"));
    }

    [Theory]
    [InlineData("api-keys", "create")]
    [InlineData("api-keys", "create", "--all-projects", "--project", "x")]
    [InlineData("api-keys", "create", "--project", "Not_Valid")]
    [InlineData("api-keys", "create", "--all-projects", "--bogus")]
    [InlineData("api-keys", "revoke")]
    [InlineData("api-keys", "revoke", "0000deadbeef0000")]
    [InlineData("grants", "add", "--project", "x")]
    [InlineData("grants", "add", "--project", "x", "--api-key", "pe_abcd_notanid")]
    [InlineData("projects", "create", "Bad Id")]
    [InlineData("api-keys", "rotate")]
    [InlineData("api-keys", "create", "--project", "nosuch")]
    [InlineData("grants", "add", "--project", "nosuch", "--user", "someone")]
    public async Task Usage_mistakes_exit_2_with_the_reason_and_change_nothing(params string[] args)
    {
        var before = (await RunAsync("api-keys", "list")).Output;
        var grantsBefore = (await RunAsync("grants", "list")).Output;
        var (exit, output, error) = await RunAsync(args);
        Assert.Equal(2, exit);
        Assert.Contains("--help", error); // the help itself, or where to find it
        Assert.DoesNotContain(ApiKeySecret.Prefix, output);
        Assert.Equal(before, (await RunAsync("api-keys", "list")).Output);
        Assert.Equal(grantsBefore, (await RunAsync("grants", "list")).Output);
    }

    [Fact]
    public async Task A_key_for_a_project_that_does_not_exist_is_refused_with_the_way_to_make_it()
    {
        var real = (await host.SeedProjectAsync()).Project.Id;
        var (exit, output, error) = await RunAsync("api-keys", "create", "--project", real, "--project", "nosuch");
        Assert.Equal(2, exit);
        Assert.Contains("There is no project 'nosuch'", error);
        Assert.Contains("projects create nosuch", error);
        Assert.DoesNotContain(ApiKeySecret.Prefix, output);
        // Nothing half-made: no grant on the project that exists either (the list is its header only).
        Assert.Single((await RunAsync("grants", "list", "--project", real)).Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task The_LocalHost_binary_runs_the_command_and_prints_a_working_key()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "ProjectExports.LocalHost.dll");
        var start = new ProcessStartInfo("dotnet") { ArgumentList = { dll, "api-keys", "create", "--all-projects" }, RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment[StorageNames.ConnectionSetting] = host.StorageConnectionString;
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(0, process.ExitCode);
        var project = (await host.SeedProjectAsync()).Project.Id;
        Assert.Equal(HttpStatusCode.OK, await ListAsAsync("Api-Key " + KeyFrom(output), project));
    }

    [Fact]
    public async Task LOCAL_ADMIN_API_KEY_is_registered_as_an_all_projects_key_and_a_malformed_one_stops_the_start()
    {
        var key = ApiKeySecret.Compose("localtest");
        var keys = host.Services.GetRequiredService<ApiKeyStore>();
        IConfiguration With(string value) => new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [LocalAdminKey.Setting] = value }).Build();

        await new LocalAdminKey(keys, With(key), NullLogger<LocalAdminKey>.Instance).StartAsync(CancellationToken.None);
        var project = (await host.SeedProjectAsync()).Project.Id;
        Assert.Equal(HttpStatusCode.OK, await ListAsAsync("Api-Key " + key, project));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => new LocalAdminKey(keys, With("hunter2"), NullLogger<LocalAdminKey>.Instance).StartAsync(CancellationToken.None));
        Assert.Contains(LocalAdminKey.Setting, error.Message);
        Assert.DoesNotContain("hunter2", error.Message);
    }
}
