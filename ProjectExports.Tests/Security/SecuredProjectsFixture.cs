using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ProjectExports.Security;
using ProjectExports.Tests.Infrastructure;

namespace ProjectExports.Tests.Security;

/// <summary>
/// Two projects, A and B, each with one finished export, and a principal of every kind the access matrix needs:
/// users granted admin of A or of B, keys granted A or B, a revoked key of A, and a token holder with the admin role.
/// </summary>
public sealed class SecuredProjectsFixture : LocalHostFixture
{
    public const string AdminOfA = "user-admin-of-a";
    public const string AdminOfB = "user-admin-of-b";
    public const string Nobody = "user-without-grants";
    public const string RoleHolder = "user-with-admin-role";

    public string ProjectA { get; private set; } = "";
    public string ProjectB { get; private set; } = "";
    public string ExportOfA { get; private set; } = "";
    public string ExportOfB { get; private set; } = "";
    public string ImportOfA { get; private set; } = "";

    /// <summary>A small valid document: one tag and one feature.</summary>
    public const string ImportDocument = """
        {"version": 1, "exported_at": "2026-11-22T10:00:00Z", "tags": [{"label": "imported", "color": "#00AA00", "description": null, "is_permanent": false}],
         "segments": [], "features": [{"name": "imported_flag", "type": "STANDARD", "default_enabled": true, "initial_value": null, "description": null,
         "is_server_key_only": false, "tags": ["imported"], "multivariate_options": []}], "environments": []}
        """;
    public string KeyOfA { get; private set; } = "";
    public string KeyOfB { get; private set; } = "";
    public string RevokedKeyOfA { get; private set; } = "";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        ProjectA = (await SeedProjectAsync()).Project.Id;
        ProjectB = (await SeedProjectAsync()).Project.Id;
        ExportOfA = (await ExportAndWaitAsync(ProjectA)).GetProperty("id").GetString()!;
        ExportOfB = (await ExportAndWaitAsync(ProjectB)).GetProperty("id").GetString()!;
        using (var imported = await Http.PostAsync($"/api/projects/{ProjectA}/project-imports", new StringContent(ImportDocument, System.Text.Encoding.UTF8, "application/json")))
        {
            imported.EnsureSuccessStatusCode();
            ImportOfA = IdOf(await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<JsonElement>(imported.Content));
        }
        await Imports.ImportClient.WaitForImportAsync(this, ProjectA, ImportOfA); // finished, so that it can be reverted

        var keys = Services.GetRequiredService<ApiKeyStore>();
        var grants = Services.GetRequiredService<ProjectGrantStore>();
        await grants.AddAsync(ProjectA, PrincipalKind.User, AdminOfA, CancellationToken.None);
        await grants.AddAsync(ProjectB, PrincipalKind.User, AdminOfB, CancellationToken.None);
        KeyOfA = await KeyForAsync(ProjectA, keys, grants);
        KeyOfB = await KeyForAsync(ProjectB, keys, grants);
        RevokedKeyOfA = await KeyForAsync(ProjectA, keys, grants);
        ApiKeySecret.TryParse(RevokedKeyOfA, out var revokedId);
        await keys.RevokeAsync(revokedId, CancellationToken.None);
    }

    private static async Task<string> KeyForAsync(string projectId, ApiKeyStore keys, ProjectGrantStore grants)
    {
        var (keyId, key) = ApiKeySecret.Generate();
        await keys.SaveAsync(key, $"key of {projectId}", allProjects: false, CancellationToken.None);
        await grants.AddAsync(projectId, PrincipalKind.ApiKey, keyId, CancellationToken.None);
        return key;
    }

    /// <summary>The Authorization header value for a named case of the access matrix (null: no header).</summary>
    public string? Credential(string credential)
    {
        var now = Clock.GetUtcNow();
        return credential switch
        {
            "none" => null,
            "malformed" => "Basic dXNlcjpwYXNz",
            "bad signature" => "Bearer " + Identity.Mint(now, AdminOfA, forgeSignature: true),
            "wrong issuer" => "Bearer " + Identity.Mint(now, AdminOfA, issuer: "https://issuer.invalid/"),
            "wrong audience" => "Bearer " + Identity.Mint(now, AdminOfA, audience: "api://another-api"),
            "expired" => "Bearer " + Identity.Mint(now - TimeSpan.FromHours(2), AdminOfA, lifetime: TimeSpan.FromMinutes(30)),
            "not yet valid" => "Bearer " + Identity.Mint(now, AdminOfA, notBeforeOffset: TimeSpan.FromMinutes(30)),
            "valid non-admin" => "Bearer " + Identity.Mint(now, Nobody),
            "admin of another project" => "Bearer " + Identity.Mint(now, AdminOfB),
            "admin of this project" => "Bearer " + Identity.Mint(now, AdminOfA),
            "all-projects role" => "Bearer " + Identity.Mint(now, RoleHolder, roles: [TestIdentityProvider.AdminRole]),
            "revoked key" => "Api-Key " + RevokedKeyOfA,
            "key of another project" => "Api-Key " + KeyOfB,
            "valid admin key" => "Api-Key " + KeyOfA,
            "all-projects key" => "Api-Key " + AdminApiKey,
            _ => throw new ArgumentOutOfRangeException(nameof(credential), credential, null),
        };
    }

    public static string IdOf(JsonElement record) => record.GetProperty("id").GetString()!;
}
