using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ProjectExports.Security;
using ProjectExports.Storage;
using ProjectExports.Tests.Infrastructure;

namespace ProjectExports.Tests.Security;

/// <summary>
/// The LocalHost remembers a verified API key for Auth:ApiKeyCacheDuration. Keys are saved and revoked through a
/// second store on the same account, as the operator's command line does from its own process.
/// </summary>
public sealed class ApiKeyCacheTests(LocalHostFixture host) : IClassFixture<LocalHostFixture>
{
    [Fact]
    public async Task A_key_revoked_elsewhere_keeps_working_for_at_most_the_cache_duration()
    {
        var project = (await host.SeedProjectAsync()).Project.Id;
        var elsewhere = OperatorStore(host);
        var (keyId, key) = ApiKeySecret.Generate();
        await elsewhere.SaveAsync(key, "remembered", allProjects: true, CancellationToken.None);
        Assert.Equal(HttpStatusCode.OK, await ListAsync(host, key, project));

        Assert.True(await elsewhere.RevokeAsync(keyId, CancellationToken.None));
        var remembered = host.Services.GetRequiredService<IOptions<AuthOptions>>().Value.ApiKeyCacheDuration;
        host.Clock.Advance(remembered - TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, await ListAsync(host, key, project));
        host.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.Unauthorized, await ListAsync(host, key, project));
        // Refusals are not remembered either way: the key stays refused once its revocation is seen.
        Assert.Equal(HttpStatusCode.Unauthorized, await ListAsync(host, key, project));
    }

    [Fact]
    public async Task A_refused_key_is_not_remembered_so_it_works_as_soon_as_it_is_saved()
    {
        var project = (await host.SeedProjectAsync()).Project.Id;
        var (_, key) = ApiKeySecret.Generate();
        Assert.Equal(HttpStatusCode.Unauthorized, await ListAsync(host, key, project));

        await OperatorStore(host).SaveAsync(key, "new", allProjects: true, CancellationToken.None);
        Assert.Equal(HttpStatusCode.OK, await ListAsync(host, key, project));
    }

    [Fact]
    public async Task A_remembered_key_is_found_by_the_whole_key_not_its_id()
    {
        var project = (await host.SeedProjectAsync()).Project.Id;
        var (keyId, key) = ApiKeySecret.Generate();
        await OperatorStore(host).SaveAsync(key, "real", allProjects: true, CancellationToken.None);
        Assert.Equal(HttpStatusCode.OK, await ListAsync(host, key, project));

        var forged = ApiKeySecret.Compose(keyId); // same id, another secret
        Assert.Equal(HttpStatusCode.Unauthorized, await ListAsync(host, forged, project));
    }

    internal static ApiKeyStore OperatorStore(LocalHostFixture host) =>
        new(host.Storage, TimeProvider.System);

    internal static async Task<HttpStatusCode> ListAsync(LocalHostFixture host, string key, string projectId)
    {
        using var client = host.CreateClient("Api-Key " + key);
        using var response = await client.GetAsync($"/api/projects/{projectId}/project-exports");
        return response.StatusCode;
    }
}

/// <summary>With Auth:ApiKeyCacheDuration set to zero every call reads its key, so revocation takes effect at once.</summary>
public sealed class UncachedApiKeyTests(UncachedApiKeyTests.Fixture host) : IClassFixture<UncachedApiKeyTests.Fixture>
{
    public sealed class Fixture : LocalHostFixture
    {
        protected override IReadOnlyDictionary<string, string?> Settings =>
            new Dictionary<string, string?>(base.Settings) { ["Auth:ApiKeyCacheDuration"] = "00:00:00" };
    }

    [Fact]
    public async Task A_key_revoked_elsewhere_is_refused_on_the_next_call()
    {
        var project = (await host.SeedProjectAsync()).Project.Id;
        var elsewhere = ApiKeyCacheTests.OperatorStore(host);
        var (keyId, key) = ApiKeySecret.Generate();
        await elsewhere.SaveAsync(key, "uncached", allProjects: true, CancellationToken.None);
        Assert.Equal(HttpStatusCode.OK, await ApiKeyCacheTests.ListAsync(host, key, project));

        Assert.True(await elsewhere.RevokeAsync(keyId, CancellationToken.None));
        Assert.Equal(HttpStatusCode.Unauthorized, await ApiKeyCacheTests.ListAsync(host, key, project));
    }
}
