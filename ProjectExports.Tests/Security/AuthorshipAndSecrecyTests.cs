using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using ProjectExports.Security;
using ProjectExports.Storage;
using ProjectExports.Tests.Infrastructure;

namespace ProjectExports.Tests.Security;

/// <summary>Records and audit entries name who did what; other projects' exports stay invisible; secrets stay out of storage, logs and answers.</summary>
public sealed class AuthorshipAndSecrecyTests(SecuredProjectsFixture host) : IClassFixture<SecuredProjectsFixture>
{
    [Fact]
    public async Task A_user_export_names_the_user_on_the_record_and_in_every_audit_entry()
    {
        using var client = host.CreateClient("Bearer " + host.Identity.Mint(host.Clock.GetUtcNow(), SecuredProjectsFixture.AdminOfA));
        using var created = await client.PostAsync($"/api/projects/{host.ProjectA}/project-exports", null);
        var record = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(SecuredProjectsFixture.AdminOfA, record.GetProperty("created_by").GetString());
        Assert.Equal(JsonValueKind.Null, record.GetProperty("created_by_api_key").ValueKind);

        var id = SecuredProjectsFixture.IdOf(record);
        await host.WaitForExportAsync(host.ProjectA, id);
        var entries = await AuditEntriesOfAsync(id);
        Assert.Equal(["Project export completed", "Project export requested"], entries.Select(e => e.GetProperty("log").GetString()));
        Assert.All(entries, e => Assert.Equal(SecuredProjectsFixture.AdminOfA, e.GetProperty("author").GetString()));
    }

    [Fact]
    public async Task A_key_export_names_the_key_id_and_a_sub_only_token_names_its_subject()
    {
        using var keyClient = host.CreateClient("Api-Key " + host.KeyOfA);
        var byKey = await (await keyClient.PostAsync($"/api/projects/{host.ProjectA}/project-exports", null)).Content.ReadFromJsonAsync<JsonElement>();
        ApiKeySecret.TryParse(host.KeyOfA, out var keyId);
        Assert.Equal(keyId, byKey.GetProperty("created_by_api_key").GetString());
        Assert.Equal(JsonValueKind.Null, byKey.GetProperty("created_by").ValueKind);
        var entry = Assert.Single(await AuditEntriesOfAsync(SecuredProjectsFixture.IdOf(byKey)), e => e.GetProperty("log").GetString() == "Project export requested");
        Assert.Equal(keyId, entry.GetProperty("author_api_key").GetString());

        using var subClient = host.CreateClient("Bearer " + host.Identity.Mint(host.Clock.GetUtcNow(), "subject-7", roles: [TestIdentityProvider.AdminRole], idClaim: "sub"));
        var bySub = await (await subClient.PostAsync($"/api/projects/{host.ProjectA}/project-exports", null)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("subject-7", bySub.GetProperty("created_by").GetString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("/download")]
    public async Task Another_projects_export_is_404_exactly_like_an_unknown_one_both_ways(string suffix)
    {
        var unknown = "0000000000000000000deadbeef";
        foreach (var (admin, project, foreignExport) in new[]
                 {
                     (SecuredProjectsFixture.AdminOfA, host.ProjectA, host.ExportOfB),
                     (SecuredProjectsFixture.AdminOfB, host.ProjectB, host.ExportOfA),
                 })
        {
            using var client = host.CreateClient("Bearer " + host.Identity.Mint(host.Clock.GetUtcNow(), admin));
            var foreign = await ProblemTextAsync(await client.GetAsync($"/api/projects/{project}/project-exports/{foreignExport}{suffix}"));
            var missing = await ProblemTextAsync(await client.GetAsync($"/api/projects/{project}/project-exports/{unknown}{suffix}"));
            Assert.Equal(missing.Replace(unknown, "ID"), foreign.Replace(foreignExport, "ID"));
            Assert.DoesNotContain("SUCCESS", foreign);
            Assert.DoesNotContain("size", foreign);
        }
    }

    [Fact]
    public async Task Another_projects_import_is_404_exactly_like_an_unknown_one_and_names_its_author()
    {
        using var adminOfB = host.CreateClient("Bearer " + host.Identity.Mint(host.Clock.GetUtcNow(), SecuredProjectsFixture.AdminOfB));
        var unknown = "0000000000000000000deadbeef";
        var foreign = await ProblemTextAsync(await adminOfB.GetAsync($"/api/projects/{host.ProjectB}/project-imports/{host.ImportOfA}"));
        var missing = await ProblemTextAsync(await adminOfB.GetAsync($"/api/projects/{host.ProjectB}/project-imports/{unknown}"));
        Assert.Equal(missing.Replace(unknown, "ID"), foreign.Replace(host.ImportOfA, "ID"));

        var own = await host.Http.GetFromJsonAsync<JsonElement>($"/api/projects/{host.ProjectA}/project-imports/{host.ImportOfA}");
        ApiKeySecret.TryParse(host.AdminApiKey, out var keyId);
        Assert.Equal(keyId, own.GetProperty("created_by_api_key").GetString());
    }

    [Fact]
    public async Task Storage_holds_key_hashes_and_no_clear_key_anywhere()
    {
        var keys = new[] { host.KeyOfA, host.KeyOfB, host.RevokedKeyOfA, host.AdminApiKey };
        var apiKeys = host.Storage.Tables.GetTableClient(StorageNames.ApiKeysTable);
        foreach (var key in keys)
        {
            ApiKeySecret.TryParse(key, out var keyId);
            var row = (await apiKeys.GetEntityAsync<TableEntity>("key", keyId)).Value;
            Assert.Equal(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(key)), row.GetBinary("Hash"));
        }

        var secrets = keys.Select(k => k[(k.IndexOf('_', ApiKeySecret.Prefix.Length) + 1)..]).ToList();
        await foreach (var table in host.Storage.Tables.QueryAsync())
        {
            await foreach (var row in host.Storage.Tables.GetTableClient(table.Name).QueryAsync<TableEntity>())
            {
                var text = string.Join("|", row.Select(p => p.Value is byte[] b ? Encoding.UTF8.GetString(b) + Convert.ToBase64String(b) : p.Value?.ToString()));
                Assert.All(secrets, secret => Assert.DoesNotContain(secret, text));
            }
        }
    }

    [Fact]
    public async Task Refused_and_accepted_credentials_never_reach_the_logs()
    {
        var credentials = new[]
        {
            "Api-Key " + host.KeyOfA, "Api-Key " + host.RevokedKeyOfA, "Api-Key " + ApiKeySecret.Generate().Key,
            host.Credential("bad signature")!, host.Credential("expired")!, host.Credential("admin of this project")!,
        };
        foreach (var credential in credentials)
        {
            using var client = host.CreateClient(credential);
            using var _ = await client.GetAsync($"/api/projects/{host.ProjectA}/project-exports");
        }
        var logs = string.Join("\n", host.Logs.Lines);
        Assert.Contains("Refused", logs); // the refusals were logged, without their credentials
        foreach (var credential in credentials)
        {
            var secret = credential[(credential.IndexOf(' ') + 1)..];
            Assert.DoesNotContain(secret, logs);
            Assert.DoesNotContain(secret[^12..], logs);
        }
    }

    private async Task<List<JsonElement>> AuditEntriesOfAsync(string exportId)
    {
        var page = await host.Http.GetFromJsonAsync<JsonElement>($"/api/projects/{host.ProjectA}/audit-log?limit=100");
        return page.GetProperty("results").EnumerateArray().Where(e => e.GetProperty("related_object_id").GetString() == exportId).ToList();
    }

    private static async Task<string> ProblemTextAsync(HttpResponseMessage response)
    {
        using (response)
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            return await response.Content.ReadAsStringAsync();
        }
    }
}
