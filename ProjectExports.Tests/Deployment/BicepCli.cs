using System.Diagnostics;
using System.Reflection;
using ProjectExports.Tests.Infrastructure;

namespace ProjectExports.Tests.Deployment;

/// <summary>
/// Runs the Bicep CLI restored from NuGet (Azure.Bicep.CommandLine.linux-x64); the test project passes the
/// executable's path in as assembly metadata, so nothing is downloaded and the version is the pinned one.
/// </summary>
public static class BicepCli
{
    public static string InfraRoot => Path.Combine(RepositoryPaths.Root, "infra");

    public static string Executable { get; } = FindExecutable();

    public sealed record Result(int ExitCode, string Output)
    {
        /// <summary>Diagnostic lines ("file(line,col) : Error|Warning code: message"), from any file.</summary>
        public IReadOnlyList<string> Diagnostics =>
            Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Where(line => line.Contains(") : Error ", StringComparison.Ordinal) || line.Contains(") : Warning ", StringComparison.Ordinal))
                .ToList();
    }

    public static async Task<Result> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo(Executable)
        {
            WorkingDirectory = InfraRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {Executable}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return new Result(process.ExitCode, await stdout + await stderr);
    }

    private static string FindExecutable()
    {
        var path = typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .SingleOrDefault(a => a.Key == "BicepPath")?.Value;
        if (string.IsNullOrEmpty(path) || !File.Exists(path))
        {
            throw new InvalidOperationException(
                $"The Bicep CLI was not found at '{path}': the test project restores it from the package Azure.Bicep.CommandLine.linux-x64.");
        }
        // NuGet does not always keep the execute bit when it extracts a package.
        if (!OperatingSystem.IsWindows())
        {
            var mode = File.GetUnixFileMode(path);
            if (!mode.HasFlag(UnixFileMode.UserExecute)) File.SetUnixFileMode(path, mode | UnixFileMode.UserExecute);
        }
        return path;
    }
}
