using System.Diagnostics;

namespace ProjectExports.Tests.FunctionsHost;

/// <summary>
/// The built Functions app started as the Functions host starts a .NET isolated worker: <c>dotnet</c> on the app's
/// assembly with the host's gRPC address and ids on the command line, and the app settings as environment variables.
/// Its output is kept (bounded) so that a failed start can say why.
/// </summary>
internal sealed class WorkerProcess : IAsyncDisposable
{
    private const int KeptLines = 400;
    private readonly Process _process;
    private readonly Queue<string> _output = new();

    private WorkerProcess(Process process) => _process = process;

    public static WorkerProcess Start(string appDirectory, Uri hostEndpoint, string workerId, IReadOnlyDictionary<string, string> environment)
    {
        var assembly = Path.Combine(appDirectory, "ProjectExports.Functions.dll");
        if (!File.Exists(assembly))
        {
            throw new InvalidOperationException($"The Functions app is not built at {assembly}: build ProjectExports.Functions (scripts/test does).");
        }
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList =
            {
                assembly,
                "--functions-uri", hostEndpoint.ToString(),
                "--functions-worker-id", workerId,
                "--functions-request-id", Guid.NewGuid().ToString(),
                "--functions-grpc-max-message-length", int.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
            WorkingDirectory = appDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // The test runner's own settings (a storage connection, say) must not leak into the app.
        start.Environment.Remove("AzureWebJobsStorage");
        start.Environment["FUNCTIONS_WORKER_RUNTIME"] = "dotnet-isolated";
        start.Environment["FUNCTIONS_APPLICATION_DIRECTORY"] = appDirectory;
        start.Environment["FUNCTIONS_WORKER_DIRECTORY"] = appDirectory;
        start.Environment["AzureWebJobsScriptRoot"] = appDirectory;
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet for the Functions worker.");
        var worker = new WorkerProcess(process);
        process.OutputDataReceived += (_, e) => worker.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => worker.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return worker;
    }

    public bool HasExited => _process.HasExited;

    /// <summary>The last lines the worker printed, for failure messages.</summary>
    public string RecentOutput()
    {
        lock (_output)
        {
            return string.Join(Environment.NewLine, _output);
        }
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        lock (_output)
        {
            _output.Enqueue(line);
            if (_output.Count > KeptLines) _output.Dequeue();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        _process.Dispose();
    }
}
