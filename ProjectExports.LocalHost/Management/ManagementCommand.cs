using ProjectExports.Projects;
using ProjectExports.Security;
using ProjectExports.Storage;

namespace ProjectExports.LocalHost.Management;

/// <summary>
/// The operator's command line, run as <c>ProjectExports.LocalHost -- &lt;area&gt; &lt;verb&gt; …</c> against whatever storage
/// account <c>AzureWebJobsStorage</c> names (a connection string, or <c>AzureWebJobsStorage__accountName</c> with an
/// Azure sign-in), so the same command manages a laptop's Azurite and a deployed installation.
/// </summary>
public sealed class ManagementCommand(ApiKeyStore keys, ProjectGrantStore grants, ProjectStore projects, TextWriter output)
{
    public const string Usage = """
        Usage (after 'dotnet run --project ProjectExports.LocalHost --'):
          api-keys create (--project <id> [--project <id> …] | --all-projects) [--name <text>]
          api-keys list
          api-keys revoke <key-id>
          grants add    --project <id> (--user <user-id> | --api-key <key-id>)
          grants remove --project <id> (--user <user-id> | --api-key <key-id>)
          grants list   [--project <id>]
          projects create <id> [--name <text>]
        The storage account is the one AzureWebJobsStorage names (default: local Azurite).
        """;

    private static readonly HashSet<string> Areas = ["api-keys", "grants", "projects"];

    public static bool Handles(string[] args) => args.Length > 0 && Areas.Contains(args[0]);

    /// <summary>Runs one command; 0 on success, 2 for a usage error (with the reason on <paramref name="error"/>).</summary>
    public static async Task<int> RunAsync(string[] args, IConfiguration configuration, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ParsedArguments parsed;
        try
        {
            parsed = ParsedArguments.Parse(args);
        }
        catch (UsageException e)
        {
            await error.WriteLineAsync($"{e.Message}\n\n{Usage}");
            return 2;
        }
        // An operator waits at the prompt: the same deadlines as an API request.
        using var deadlines = StorageClients.BeginRequestScope();
        var clients = StorageClients.FromConfiguration(configuration);
        var initializer = new StorageInitializer(clients);
        var time = TimeProvider.System;
        var command = new ManagementCommand(new ApiKeyStore(clients, initializer, time), new ProjectGrantStore(clients, initializer, time), new ProjectStore(clients, initializer, new ProjectDirectory(clients, initializer, time)), output);
        try
        {
            await command.RunAsync(parsed, cancellationToken);
            return 0;
        }
        catch (UsageException e)
        {
            await error.WriteLineAsync($"{e.Message}\n\n{Usage}");
            return 2;
        }
        catch (Exception e) when (e is Azure.RequestFailedException or AggregateException or Azure.Identity.AuthenticationFailedException or Azure.Identity.CredentialUnavailableException)
        {
            await error.WriteLineAsync(
                $"The storage account at {clients.Tables.Uri} could not be used: {e.GetBaseException().Message}\n" +
                "Check AzureWebJobsStorage (a connection string) or AzureWebJobsStorage__accountName with 'az login' and a Storage Table Data Contributor role.");
            return 1;
        }
    }

    private Task RunAsync(ParsedArguments a, CancellationToken cancellationToken) => (a.Area, a.Verb) switch
    {
        ("api-keys", "create") => CreateKeyAsync(a, cancellationToken),
        ("api-keys", "list") => ListKeysAsync(cancellationToken),
        ("api-keys", "revoke") => RevokeKeyAsync(a.Single("key id"), cancellationToken),
        ("grants", "add") => GrantAsync(a, add: true, cancellationToken),
        ("grants", "remove") => GrantAsync(a, add: false, cancellationToken),
        ("grants", "list") => ListGrantsAsync(a.OptionalProject(), cancellationToken),
        ("projects", "create") => CreateProjectAsync(a, cancellationToken),
        _ => throw new UsageException($"Unknown command '{a.Area} {a.Verb}'."),
    };

    private async Task CreateKeyAsync(ParsedArguments a, CancellationToken cancellationToken)
    {
        var projectIds = a.Projects();
        var allProjects = a.Flag("--all-projects");
        if (allProjects == (projectIds.Count > 0))
        {
            throw new UsageException("Give either --all-projects or one or more --project <id>.");
        }
        var (keyId, key) = ApiKeySecret.Generate();
        await keys.SaveAsync(key, a.Value("--name") ?? "", allProjects, cancellationToken);
        foreach (var projectId in projectIds)
        {
            await grants.AddAsync(projectId, PrincipalKind.ApiKey, keyId, cancellationToken);
        }
        await output.WriteLineAsync($"Created API key {keyId} ({(allProjects ? "admin of all projects" : "admin of " + string.Join(", ", projectIds))}).");
        await output.WriteLineAsync("Send it as 'Authorization: Api-Key <key>'. It is shown only now; only its hash is stored:");
        await output.WriteLineAsync(key);
    }

    private async Task ListKeysAsync(CancellationToken cancellationToken)
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

    private async Task RevokeKeyAsync(string keyId, CancellationToken cancellationToken)
    {
        if (!await keys.RevokeAsync(keyId, cancellationToken))
        {
            throw new UsageException($"There is no API key '{keyId}'. 'api-keys list' shows the keys.");
        }
        await output.WriteLineAsync($"Revoked API key {keyId}. Running instances refuse it within Auth__ApiKeyCacheDuration (default 10 s).");
    }

    private async Task GrantAsync(ParsedArguments a, bool add, CancellationToken cancellationToken)
    {
        var projectId = a.OptionalProject() ?? throw new UsageException("Give --project <id>.");
        var (kind, principal) = (a.Value("--user"), a.Value("--api-key")) switch
        {
            ({ } user, null) => (PrincipalKind.User, user),
            (null, { } keyId) when ApiKeySecret.IsValidId(keyId) => (PrincipalKind.ApiKey, keyId),
            (null, { }) => throw new UsageException($"An API key id is {ApiKeySecret.IdRule} (the id, not the key)."),
            _ => throw new UsageException("Give exactly one of --user <user-id> or --api-key <key-id>."),
        };
        if (add) await grants.AddAsync(projectId, kind, principal, cancellationToken);
        else await grants.RemoveAsync(projectId, kind, principal, cancellationToken);
        await output.WriteLineAsync($"{(add ? "Granted" : "Removed")} project admin of '{projectId}' {(add ? "to" : "from")} {(kind == PrincipalKind.User ? "user" : "API key")} {principal}.");
    }

    private async Task ListGrantsAsync(string? projectId, CancellationToken cancellationToken)
    {
        await output.WriteLineAsync("PROJECT                          KIND     PRINCIPAL");
        foreach (var grant in (await grants.ListAsync(projectId, cancellationToken)).OrderBy(g => g.ProjectId, StringComparer.Ordinal))
        {
            await output.WriteLineAsync($"{grant.ProjectId,-32} {(grant.Kind == PrincipalKind.User ? "user" : "api-key"),-8} {grant.PrincipalId}");
        }
    }

    private async Task CreateProjectAsync(ParsedArguments a, CancellationToken cancellationToken)
    {
        var projectId = a.Single("project id");
        if (!ProjectIds.IsValid(projectId))
        {
            throw new UsageException($"'{projectId}' is not a valid project id: use {ProjectIds.Rule}.");
        }
        if (await projects.GetProjectAsync(projectId, cancellationToken) is not null)
        {
            await output.WriteLineAsync($"Project '{projectId}' already exists; left as it is.");
            return;
        }
        await projects.SaveAsync(new ProjectSnapshot { Project = new Project { Id = projectId, Name = a.Value("--name") ?? projectId } }, cancellationToken);
        await output.WriteLineAsync($"Created project '{projectId}'.");
    }
}
