using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using ProjectExports.LocalHost;

namespace ProjectExports.Tests.Security;

/// <summary>
/// The LocalHost's command line without storage: help and parse mistakes answer at once and never start the server
/// nor touch storage; no command serves. The storage-backed commands are in <see cref="ManagementCommandTests"/>.
/// </summary>
public sealed class CommandLineTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private sealed record Result(int Exit, string Output, string Error, List<string[]> Served);

    private static async Task<Result> RunAsync(params string[] args)
    {
        var served = new List<string[]>();
        var commandLine = new LocalHostCommandLine(
            (hostArgs, _) => { served.Add(hostArgs); return Task.FromResult(0); },
            () => throw new InvalidOperationException("Storage configuration was read."));
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await commandLine.RunAsync(args, output, error, CancellationToken.None).WaitAsync(Deadline);
        return new Result(exit, output.ToString(), error.ToString(), served);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("help")]
    public async Task Help_at_the_root_lists_every_command_and_exits_0_without_serving(string help)
    {
        var result = await RunAsync(help);
        Assert.Equal(0, result.Exit);
        Assert.Empty(result.Served);
        Assert.Contains("Usage:", result.Output);
        foreach (var command in new[] { "serve", "api-keys", "grants", "projects", "help" })
        {
            Assert.Contains("  " + command, result.Output);
        }
    }

    [Theory]
    [InlineData("api-keys", "--help")]
    [InlineData("help", "api-keys", "create")]
    [InlineData("api-keys", "create", "--help")]
    [InlineData("grants", "add", "-h")]
    [InlineData("projects", "create", "--help")]
    public async Task Help_for_a_command_shows_its_options_and_exits_0(params string[] args)
    {
        var result = await RunAsync(args);
        Assert.Equal(0, result.Exit);
        Assert.Empty(result.Served);
        Assert.Contains("Usage:", result.Output);
        var expected = args[0] == "help" ? "--all-projects" : args[1] switch { "create" when args[0] == "projects" => "<project-id>", "create" => "--all-projects", "add" => "--api-key <key-id>", _ => "revoke <key-id>" };
        Assert.Contains(expected, result.Output);
    }

    [Theory]
    [InlineData("api-kyes", "api-keys")]
    [InlineData("grant", "grants")]
    [InlineData("hlep", "help")]
    public async Task A_misspelled_command_exits_2_with_a_suggestion_and_does_not_serve(string typed, string meant)
    {
        var result = await RunAsync(typed, "list");
        Assert.Equal(LocalHostCommandLine.UsageError, result.Exit);
        Assert.Empty(result.Served);
        Assert.Contains($"'{typed}'", result.Error);
        Assert.Contains("Did you mean", result.Error);
        Assert.Contains("\n" + meant, result.Error.ReplaceLineEndings("\n"));
        Assert.Empty(result.Output);
    }

    [Theory]
    [InlineData("api-keys", "list", "--bogus")]
    [InlineData("api-keys", "create", "--all-projects", "--projects", "x")]
    [InlineData("--port", "7072")]
    public async Task An_unknown_option_exits_2_naming_it_and_does_not_serve(params string[] args)
    {
        var result = await RunAsync(args);
        Assert.Equal(LocalHostCommandLine.UsageError, result.Exit);
        Assert.Empty(result.Served);
        Assert.Contains($"Unrecognized command or argument '{args.First(a => a.StartsWith("--", StringComparison.Ordinal) && a != "--all-projects")}'", result.Error);
    }

    [Fact]
    public async Task No_command_serves_and_serve_passes_its_arguments_to_the_web_host()
    {
        var bare = await RunAsync();
        Assert.Empty(Assert.Single(bare.Served));
        var serve = await RunAsync("serve", "--urls", "http://127.0.0.1:7072");
        Assert.Equal(new[] { "--urls", "http://127.0.0.1:7072" }, Assert.Single(serve.Served));
    }

    [Fact]
    public async Task The_LocalHost_binary_prints_help_and_exits_instead_of_serving()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "ProjectExports.LocalHost.dll");
        var start = new ProcessStartInfo("dotnet") { ArgumentList = { dll, "--help" }, RedirectStandardOutput = true, RedirectStandardError = true };
        // Were it to serve, it would listen here and never exit; the deadline catches that.
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        using var process = Process.Start(start)!;
        try
        {
            var output = process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.Equal(0, process.ExitCode);
            Assert.Contains("api-keys", await output);
            Assert.DoesNotContain("Now listening", await output);
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
    }
}
