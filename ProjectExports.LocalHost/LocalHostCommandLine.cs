using System.CommandLine;
using System.CommandLine.Invocation;
using ProjectExports.LocalHost.Management;

namespace ProjectExports.LocalHost;

/// <summary>
/// The LocalHost's command line: with no command (or <c>serve</c>) it serves the API; otherwise it runs one of the
/// operator's commands and exits. Parse mistakes print the reason, any "did you mean" and the help to standard error
/// with exit code 2, so a mistyped command never starts a server.
/// </summary>
/// <param name="serve">Runs the server with the given host arguments (e.g. <c>--urls</c>) until it is stopped.</param>
/// <param name="configuration">The configuration the operator's commands read, built only when one runs.</param>
public sealed class LocalHostCommandLine(Func<string[], CancellationToken, Task<int>> serve, Func<IConfiguration> configuration)
{
    public const int UsageError = 2;

    public async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var root = CreateRoot();
        var parseResult = root.Parse(args);
        var parseFailed = parseResult.Action is ParseErrorAction;
        var invocation = new InvocationConfiguration
        {
            Output = parseFailed ? error : output,
            Error = error,
            // The web host handles Ctrl+C and SIGTERM itself, with a graceful shutdown of its own length.
            ProcessTerminationTimeout = null,
        };
        var exit = await parseResult.InvokeAsync(invocation, cancellationToken);
        return parseFailed ? UsageError : exit;
    }

    private RootCommand CreateRoot()
    {
        var root = new RootCommand(
            "ProjectExports on Kestrel: with no command, serves the API on ASPNETCORE_URLS (the same routes, queues and cleanup " +
            "as the Functions app); with one, runs an operator's command against the storage account AzureWebJobsStorage names " +
            "(default: local Azurite, UseDevelopmentStorage=true) and exits.");
        root.SetAction((_, cancellationToken) => serve([], cancellationToken));

        var serveCommand = new Command("serve", "Serve the API (the same as no command). Further arguments go to the web host, e.g. '--urls http://127.0.0.1:7072'.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        serveCommand.SetAction((parseResult, cancellationToken) => serve([.. parseResult.UnmatchedTokens], cancellationToken));
        root.Subcommands.Add(serveCommand);

        foreach (var command in ManagementCommandLine.Create(configuration))
        {
            root.Subcommands.Add(command);
        }

        // 'help api-keys create' is '<the same> --help', for those who type it the other way round.
        var topic = new Argument<string[]>("command") { Description = "The command to explain.", Arity = ArgumentArity.ZeroOrMore };
        var help = new Command("help", "Show help for a command.") { topic };
        help.SetAction((parseResult, cancellationToken) =>
            root.Parse([.. parseResult.GetValue(topic) ?? [], "--help"]).InvokeAsync(parseResult.InvocationConfiguration, cancellationToken));
        root.Subcommands.Add(help);
        return root;
    }
}
