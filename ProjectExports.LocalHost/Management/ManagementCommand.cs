using ProjectExports.Projects;
using ProjectExports.Security;
using ProjectExports.Storage;

namespace ProjectExports.LocalHost.Management;

/// <summary>
/// What the operator's commands do (<see cref="ManagementCommandLine"/> defines their syntax), against whatever storage
/// account <c>AzureWebJobsStorage</c> names (a connection string, or <c>AzureWebJobsStorage__accountName</c> with an
/// Azure sign-in), so the same command manages a laptop's Azurite and a deployed installation.
/// </summary>
public sealed class ManagementCommand(ApiKeyStore keys, ProjectGrantStore grants, ProjectStore projects, TextWriter output)
{
    public static ManagementCommand Create(StorageClients clients, TextWriter output)
    {
        var time = TimeProvider.System;
        return new ManagementCommand(new ApiKeyStore(clients, time), new ProjectGrantStore(clients, time), new ProjectStore(clients, new ProjectDirectory(clients, time)), output);
    }

    public async Task CreateKeyAsync(IReadOnlyList<string> projectIds, bool allProjects, string? name, CancellationToken cancellationToken)
    {
        // Checked before anything is written: a key for a mistyped project would be a key for nothing.
        foreach (var projectId in projectIds)
        {
            await RequireProjectAsync(projectId, cancellationToken);
        }
        var (keyId, key) = ApiKeySecret.Generate();
        await keys.SaveAsync(key, name ?? "", allProjects, cancellationToken);
        foreach (var projectId in projectIds)
        {
            await grants.AddAsync(projectId, PrincipalKind.ApiKey, keyId, cancellationToken);
        }
        await output.WriteLineAsync($"Created API key {keyId} ({(allProjects ? "admin of all projects" : "admin of " + string.Join(", ", projectIds))}).");
        await output.WriteLineAsync("Send it as 'Authorization: Api-Key <key>'. It is shown only now; only its hash is stored:");
        await output.WriteLineAsync(key);
    }

    public async Task ListKeysAsync(CancellationToken cancellationToken)
    {
        var projectsByKey = (await grants.ListAsync(null, cancellationToken))
            .Where(g => g.Kind == PrincipalKind.ApiKey)
            .ToLookup(g => g.PrincipalId, g => g.ProjectId);
        await output.WriteLineAsync("KEY ID             CREATED (UTC)         STATUS    SCOPE                          NAME");
        foreach (var key in (await keys.ListAsync(cancellationToken)).OrderBy(k => k.CreatedAt))
        {
            var scope = key.AllProjects ? "all projects" : string.Join(",", projectsByKey[key.Id].Order(StringComparer.Ordinal));
            await output.WriteLineAsync($"{key.Id,-18} {key.CreatedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss}   {(key.IsRevoked ? "revoked" : "active"),-9} {scope,-30} {key.Name}");
        }
    }

    public async Task RevokeKeyAsync(string keyId, CancellationToken cancellationToken)
    {
        if (!await keys.RevokeAsync(keyId, cancellationToken))
        {
            throw new UsageException($"There is no API key '{keyId}'. 'api-keys list' shows the keys.");
        }
        await output.WriteLineAsync($"Revoked API key {keyId}. Running instances refuse it within Auth__ApiKeyCacheDuration (default 10 s).");
    }

    public async Task GrantAsync(string projectId, PrincipalKind kind, string principal, bool add, CancellationToken cancellationToken)
    {
        // Removing stays possible for a project that is gone, so stale grants can be cleaned up.
        if (add) await RequireProjectAsync(projectId, cancellationToken);
        if (add) await grants.AddAsync(projectId, kind, principal, cancellationToken);
        else await grants.RemoveAsync(projectId, kind, principal, cancellationToken);
        await output.WriteLineAsync($"{(add ? "Granted" : "Removed")} project admin of '{projectId}' {(add ? "to" : "from")} {(kind == PrincipalKind.User ? "user" : "API key")} {principal}.");
    }

    public async Task ListGrantsAsync(string? projectId, CancellationToken cancellationToken)
    {
        await output.WriteLineAsync("PROJECT                          KIND     PRINCIPAL");
        foreach (var grant in (await grants.ListAsync(projectId, cancellationToken)).OrderBy(g => g.ProjectId, StringComparer.Ordinal))
        {
            await output.WriteLineAsync($"{grant.ProjectId,-32} {(grant.Kind == PrincipalKind.User ? "user" : "api-key"),-8} {grant.PrincipalId}");
        }
    }

    public async Task CreateProjectAsync(string projectId, string? name, CancellationToken cancellationToken)
    {
        // The same insert-only create as PUT /api/projects/{id}: a project made meanwhile is never overwritten.
        if (await projects.CreateAsync(new Project { Id = projectId, Name = name ?? projectId }, cancellationToken) is null)
        {
            await output.WriteLineAsync($"Project '{projectId}' already exists; left as it is.");
            return;
        }
        await output.WriteLineAsync($"Created project '{projectId}'.");
    }

    private async Task RequireProjectAsync(string projectId, CancellationToken cancellationToken)
    {
        if (await projects.GetProjectAsync(projectId, cancellationToken) is null)
        {
            throw new UsageException($"There is no project '{projectId}' in this storage account. 'projects create {projectId}' makes an empty one.");
        }
    }
}
