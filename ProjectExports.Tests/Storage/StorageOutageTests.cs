using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ProjectExports.Storage;
using ProjectExports.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ProjectExports.Tests.Storage;

/// <summary>
/// An account that hangs instead of refusing (Azurite frozen with SIGSTOP): the API answers 503 within seconds,
/// health within its own deadline, and everything works again once the account answers.
/// </summary>
public sealed class StorageOutageTests(LocalHostFixture host, ITestOutputHelper output) : IClassFixture<LocalHostFixture>
{
    /// <summary>Well above the default request deadlines (about 4.2 s at worst), far below the SDK defaults (minutes).</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_hanging_account_answers_503_within_seconds_and_work_resumes_when_it_answers_again()
    {
        var project = await host.SeedProjectAsync();
        var exports = $"/api/projects/{project.Project.Id}/project-exports";
        await host.ExportAndWaitAsync(project.Project.Id);
        var healthTimeout = host.Services.GetRequiredService<IOptions<StorageOptions>>().Value.HealthTimeout;

        host.Azurite.Pause();
        try
        {
            var clock = Stopwatch.StartNew();
            var answers = await Task.WhenAll(
                Timed("create", clock, () => host.Http.PostAsync(exports, null)),
                Timed("list", clock, () => host.Http.GetAsync(exports)),
                Timed("health", clock, () => host.Http.GetAsync("/api/health")));

            foreach (var (name, response, elapsed) in answers)
            {
                output.WriteLine($"{name}: {(int)response.StatusCode} after {elapsed.TotalSeconds:F2} s from the pause");
                await AssertStorageUnavailableAsync(response);
                Assert.True(elapsed < (name == "health" ? healthTimeout + TimeSpan.FromSeconds(1) : Bound), $"{name} took {elapsed.TotalSeconds:F1} s");
            }
        }
        finally
        {
            host.Azurite.Resume();
        }

        using (var response = await host.Http.GetAsync(exports))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        using (var response = await host.Http.GetAsync("/api/health"))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        var built = await host.ExportAndWaitAsync(project.Project.Id);
        Assert.Equal("SUCCESS", built.GetProperty("status").GetString());
    }

    private static async Task<(string Name, HttpResponseMessage Response, TimeSpan Elapsed)> Timed(string name, Stopwatch clock, Func<Task<HttpResponseMessage>> send)
    {
        var response = await send();
        return (name, response, clock.Elapsed);
    }

    private static async Task AssertStorageUnavailableAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("storage_unavailable", problem.GetProperty("code").GetString());
        response.Dispose();
    }
}
