using System.CommandLine;
using System.CommandLine.Parsing;
using ProjectExports.Projects;
using ProjectExports.Security;
using ProjectExports.Storage;

namespace ProjectExports.LocalHost.Management;

/// <summary>
/// The syntax of the operator's commands (<c>api-keys</c>, <c>grants</c>, <c>projects</c>). Everything the parser can
/// check (required options, id formats, either-or options) is a parse error, so storage is not touched for a mistake.
/// Exit codes: 0 done, 1 the storage account could not be used, 2 a usage mistake or a refusal.
/// </summary>
public static class ManagementCommandLine
{
    private const string StorageNote = "Against the storage account AzureWebJobsStorage names (default: local Azurite, UseDevelopmentStorage=true).";

    public static IEnumerable<Command> Create(Func<IConfiguration> configuration)
    {
        yield return ApiKeys(configuration);
        yield return Grants(configuration);
        yield return Projects(configuration);
    }

    private static Command ApiKeys(Func<IConfiguration> configuration)
    {
        var projects = new Option<string[]>("--project") { Description = "Make the key admin of this project (repeat for more).", HelpName = "id" };
        projects.Validators.Add(result =>
        {
            foreach (var id in result.GetValueOrDefault<string[]>() ?? [])
            {
                if (!ProjectIds.IsValid(id)) result.AddError(InvalidProjectId(id));
            }
        });
        var allProjects = new Option<bool>("--all-projects") { Description = "Make the key admin of every project." };
        var name = new Option<string>("--name") { Description = "A label shown by 'api-keys list'.", HelpName = "text" };
        var create = new Command("create", "Create an API key and print it once (only its hash is stored).") { projects, allProjects, name };
        create.Validators.Add(result =>
        {
            if (result.GetValue(allProjects) == (result.GetValue(projects) is { Length: > 0 }))
            {
                result.AddError("Give either --all-projects or one or more --project <id>.");
            }
        });
        create.SetAction(Run(configuration, (c, p, t) => c.CreateKeyAsync(p.GetValue(projects)!.Distinct().ToList(), p.GetValue(allProjects), p.GetValue(name), t)));

        var list = new Command("list", "List the API keys: id, created, status, scope and name; never the keys.");
        list.SetAction(Run(configuration, (c, _, t) => c.ListKeysAsync(t)));

        var keyId = new Argument<string>("key-id") { Description = "The key's id, as 'api-keys list' shows it." };
        var revoke = new Command("revoke", "Revoke an API key.") { keyId };
        revoke.SetAction(Run(configuration, (c, p, t) => c.RevokeKeyAsync(p.GetValue(keyId)!, t)));

        return new Command("api-keys", "Create, list and revoke API keys. " + StorageNote) { create, list, revoke };
    }

    private static Command Grants(Func<IConfiguration> configuration)
    {
        Command Change(string verb, bool add)
        {
            var project = ProjectOption("The project.");
            project.Required = true;
            var user = new Option<string>("--user") { Description = "A user's id (the Entra object id, the token's 'oid').", HelpName = "user-id" };
            var apiKey = new Option<string>("--api-key") { Description = "An API key's id (not the key).", HelpName = "key-id" };
            apiKey.Validators.Add(result =>
            {
                if (result.GetValueOrDefault<string>() is { } id && !ApiKeySecret.IsValidId(id))
                {
                    result.AddError($"An API key id is {ApiKeySecret.IdRule} (the id, not the key).");
                }
            });
            var command = new Command(verb, add ? "Make a user or an API key admin of a project." : "Take a user's or an API key's admin of a project away.") { project, user, apiKey };
            command.Validators.Add(result =>
            {
                if ((result.GetResult(user) is null) == (result.GetResult(apiKey) is null))
                {
                    result.AddError("Give exactly one of --user <user-id> or --api-key <key-id>.");
                }
            });
            command.SetAction(Run(configuration, (c, p, t) => p.GetValue(user) is { } userId
                ? c.GrantAsync(p.GetValue(project)!, PrincipalKind.User, userId, add, t)
                : c.GrantAsync(p.GetValue(project)!, PrincipalKind.ApiKey, p.GetValue(apiKey)!, add, t)));
            return command;
        }

        var listProject = ProjectOption("Only this project's grants.");
        var list = new Command("list", "List the grants.") { listProject };
        list.SetAction(Run(configuration, (c, p, t) => c.ListGrantsAsync(p.GetValue(listProject), t)));

        return new Command("grants", "Give users and API keys admin of single projects. " + StorageNote) { Change("add", add: true), Change("remove", add: false), list };
    }

    private static Command Projects(Func<IConfiguration> configuration)
    {
        var projectId = new Argument<string>("project-id") { Description = $"The new project's id: {ProjectIds.Rule}." };
        projectId.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string>() is { } id && !ProjectIds.IsValid(id))
            {
                result.AddError(InvalidProjectId(id));
            }
        });
        var name = new Option<string>("--name") { Description = "Its display name (default: the id).", HelpName = "text" };
        var create = new Command("create", "Create an empty project, e.g. to import into; an existing one is left as it is.") { projectId, name };
        create.SetAction(Run(configuration, (c, p, t) => c.CreateProjectAsync(p.GetValue(projectId)!, p.GetValue(name), t)));
        return new Command("projects", "Create projects. " + StorageNote) { create };
    }

    private static Option<string> ProjectOption(string description)
    {
        var option = new Option<string>("--project") { Description = description, HelpName = "id" };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string>() is { } id && !ProjectIds.IsValid(id)) result.AddError(InvalidProjectId(id));
        });
        return option;
    }

    private static string InvalidProjectId(string id) => $"'{id}' is not a valid project id: use {ProjectIds.Rule}.";

    /// <summary>Runs one command against storage and turns its failures into a message and an exit code, never a stack trace.</summary>
    private static Func<ParseResult, CancellationToken, Task<int>> Run(Func<IConfiguration> configuration, Func<ManagementCommand, ParseResult, CancellationToken, Task> action) =>
        async (parseResult, cancellationToken) =>
        {
            var error = parseResult.InvocationConfiguration.Error;
            // An operator waits at the prompt: the same deadlines as an API request.
            using var deadlines = StorageClients.BeginRequestScope();
            var clients = StorageClients.FromConfiguration(configuration());
            try
            {
                // Like the server, so a command works on a fresh Azurite; in Azure the infrastructure made them already.
                await StorageInitializer.EnsureCreatedAsync(clients, cancellationToken);
                await action(ManagementCommand.Create(clients, parseResult.InvocationConfiguration.Output), parseResult, cancellationToken);
                return 0;
            }
            catch (UsageException e)
            {
                await error.WriteLineAsync($"{e.Message}\nSee '{CommandPath(parseResult.CommandResult)} --help'.");
                return 2;
            }
            catch (Exception e) when (e is Azure.RequestFailedException or AggregateException or Azure.Identity.AuthenticationFailedException or Azure.Identity.CredentialUnavailableException
                || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                await error.WriteLineAsync(
                    $"The storage account at {clients.Tables.Uri} could not be used: {e.GetBaseException().Message}\n" +
                    "Check AzureWebJobsStorage (a connection string) or AzureWebJobsStorage__accountName with 'az login' and a Storage Table Data Contributor role.");
                return 1;
            }
        };

    private static string CommandPath(CommandResult? result) =>
        result is null ? "" : (CommandPath(result.Parent as CommandResult) + " " + result.Command.Name).Trim();
}
