using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace ProjectExports.Tests.Infrastructure;

/// <summary>
/// A private Azurite (from the repository's npm lockfile) in memory, on ports the OS picks, stopped on dispose.
/// Each test class gets its own, so queues and tables never leak between classes running in parallel.
/// </summary>
public sealed partial class AzuriteProcess : IAsyncDisposable
{
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private readonly Process _process;

    private AzuriteProcess(Process process, string connectionString)
    {
        _process = process;
        ConnectionString = connectionString;
    }

    public string ConnectionString { get; }

    [GeneratedRegex(@"Azurite (Blob|Queue|Table) service is successfully listening at http://127\.0\.0\.1:(\d+)")]
    private static partial Regex Listening();

    public static async Task<AzuriteProcess> StartAsync()
    {
        var script = Path.Combine(RepositoryPaths.Root, "node_modules", "azurite", "dist", "src", "azurite.js");
        if (!File.Exists(script))
        {
            throw new InvalidOperationException($"Azurite is not installed at {script}: run 'npm ci' in the repository root (scripts/test does).");
        }
        var start = new ProcessStartInfo("node")
        {
            ArgumentList = { script, "--inMemoryPersistence", "--skipApiVersionCheck", "--disableTelemetry",
                "--blobHost", "127.0.0.1", "--queueHost", "127.0.0.1", "--tableHost", "127.0.0.1",
                "--blobPort", "0", "--queuePort", "0", "--tablePort", "0" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start node.");
        var ports = new Dictionary<string, string>();
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            var match = Listening().Match(e.Data);
            if (!match.Success) return;
            lock (ports)
            {
                ports[match.Groups[1].Value] = match.Groups[2].Value;
                if (ports.Count == 3) ready.TrySetResult();
            }
        };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await ready.Task.WaitAsync(TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException("Azurite did not report its ports within 60 s.");
        }
        var connectionString =
            $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};" +
            $"BlobEndpoint=http://127.0.0.1:{ports["Blob"]}/devstoreaccount1;" +
            $"QueueEndpoint=http://127.0.0.1:{ports["Queue"]}/devstoreaccount1;" +
            $"TableEndpoint=http://127.0.0.1:{ports["Table"]}/devstoreaccount1;";
        return new AzuriteProcess(process, connectionString);
    }

    /// <summary>
    /// Freezes Azurite (SIGSTOP): its ports still accept connections, but nothing answers, as with an account that
    /// hangs rather than refuses.
    /// </summary>
    public void Pause() => Signal(SIGSTOP);

    /// <summary>Thaws Azurite (SIGCONT); requests sent meanwhile are then answered.</summary>
    public void Resume() => Signal(SIGCONT);

    private const int SIGCONT = 18;
    private const int SIGSTOP = 19;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    private void Signal(int signal)
    {
        if (Kill(_process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"Could not signal Azurite (errno {Marshal.GetLastPInvokeError()}).");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
