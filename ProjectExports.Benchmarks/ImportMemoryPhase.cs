using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using ProjectExports.Imports;
using ProjectExports.Security;

namespace ProjectExports.Benchmarks;

/// <summary>
/// Memory under concurrent large imports: a LocalHost in a child process (so its resident set is its own), a large
/// demo project exported to a ~9 MB document, then that document validated and imported by many callers at once.
/// Every answer is checked (200, 202, or 503 too_busy with Retry-After, then retried), and the child's VmRSS is
/// sampled throughout and for a minute after the imports finished.
/// </summary>
public static class ImportMemoryPhase
{
    private const string SourceProject = "bench-import";
    private const long PeakTargetBytes = 1_000_000_000;
    private const long SettledTargetBytes = 300_000_000;
    private static readonly TimeSpan SettleTime = TimeSpan.FromSeconds(60);

    public static async Task<int> RunAsync(BenchSettings settings, string localHostDll, CancellationToken cancellationToken)
    {
        var (_, apiKey) = ApiKeySecret.Generate();
        var port = FreePort();
        using var child = StartLocalHost(localHostDll, port, apiKey);
        try
        {
            using var http = BenchHttp.Create(new Uri($"http://127.0.0.1:{port}"), apiKey);
            http.Timeout = TimeSpan.FromMinutes(5);
            await WaitUntilReadyAsync(http, child, cancellationToken);
            var document = await ExportRun.ExportDocumentAsync(http, SourceProject, cancellationToken);
            await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken); // the export's garbage, before the baseline
            var baseline = Rss(child);
            Console.WriteLine($"LocalHost pid {child.Id}: document {document.Length / 1e6:F1} MB, RSS before {baseline / 1e6:F0} MB; {settings.Callers} validations + {settings.Callers} imports at once");

            using var rss = RssSampler.Start(child);
            var stopwatch = Stopwatch.StartNew();
            var calls = Enumerable.Range(0, settings.Callers).SelectMany(_ => new[] { "/validate", "" })
                .Select(suffix => CallUntilAcceptedAsync(http, document, suffix, cancellationToken)).ToList();
            var outcomes = await Task.WhenAll(calls);
            var answered = stopwatch.Elapsed;
            foreach (var importId in outcomes.Select(o => o.ImportId).OfType<string>())
            {
                await WaitForImportAsync(http, importId, cancellationToken);
            }
            var imported = stopwatch.Elapsed;
            var peak = rss.PeakBytes;
            var refusals = outcomes.Sum(o => o.Refusals);
            Console.WriteLine($"all {outcomes.Length} answered in {answered.TotalSeconds:F1} s ({refusals} too_busy refusals, each retried), imports applied by {imported.TotalSeconds:F1} s");
            var settled = await WatchSettlingAsync(child, cancellationToken);

            Console.WriteLine($"{"",-28}{"measured",12}{"target",12}");
            Console.WriteLine($"{"peak RSS",-28}{peak / 1e6,9:F0} MB{"< " + PeakTargetBytes / 1e6 + " MB",12}");
            Console.WriteLine($"{"RSS a minute after",-28}{settled / 1e6,9:F0} MB{"< " + SettledTargetBytes / 1e6 + " MB",12}");
            Console.WriteLine();
            Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["import_document_bytes"] = document.LongLength,
                ["import_calls"] = outcomes.Length,
                ["import_refusals"] = refusals,
                ["import_answered_seconds"] = Math.Round(answered.TotalSeconds, 1),
                ["import_rss_before_mb"] = Math.Round(baseline / 1e6),
                ["import_rss_peak_mb"] = Math.Round(peak / 1e6),
                ["import_rss_after_minute_mb"] = Math.Round(settled / 1e6),
                ["import_rss_peak_within_target"] = peak < PeakTargetBytes,
                ["import_rss_settled_within_target"] = settled < SettledTargetBytes,
            }, BenchJsonContext.Default.DictionaryStringObject));
            return 0;
        }
        finally
        {
            child.Kill(entireProcessTree: true);
            await child.WaitForExitAsync(CancellationToken.None);
        }
    }

    private sealed record Outcome(string? ImportId, int Refusals);

    /// <summary>Posts until accepted; a refusal must be 503 too_busy with Retry-After, and is retried after it.</summary>
    private static async Task<Outcome> CallUntilAcceptedAsync(HttpClient http, byte[] document, string suffix, CancellationToken cancellationToken)
    {
        for (var refusals = 0; ; refusals++)
        {
            using var content = new ByteArrayContent(document);
            content.Headers.ContentType = new("application/json");
            using var response = await http.PostAsync($"/api/projects/{SourceProject}/project-imports{suffix}", content, cancellationToken);
            var body = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
            switch (response.StatusCode)
            {
                case HttpStatusCode.OK when suffix != "" && body.GetProperty("errors").GetArrayLength() == 0:
                    return new Outcome(null, refusals);
                case HttpStatusCode.Accepted when suffix == "":
                    return new Outcome(body.GetProperty("id").GetString(), refusals);
                case HttpStatusCode.ServiceUnavailable when body.GetProperty("code").GetString() == ImportAdmission.TooBusyCode
                                                         && response.Headers.RetryAfter?.Delta is { } wait:
                    await Task.Delay(wait, cancellationToken);
                    continue;
                default:
                    throw new InvalidOperationException($"POST …/project-imports{suffix} answered {(int)response.StatusCode}: {body}");
            }
        }
    }

    private static async Task WaitForImportAsync(HttpClient http, string importId, CancellationToken cancellationToken)
    {
        while (true)
        {
            var record = await http.GetFromJsonAsync<JsonElement>($"/api/projects/{SourceProject}/project-imports/{importId}", cancellationToken);
            var status = record.GetProperty("status").GetString();
            if (status == "SUCCESS") return;
            if (status != "PROCESSING") throw new InvalidOperationException($"Import {importId} ended {status}: {record}");
            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
        }
    }

    private static Process StartLocalHost(string dll, int port, string apiKey)
    {
        dll = Path.GetFullPath(dll);
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = Path.GetDirectoryName(dll)!, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("serve");
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        start.Environment["LOCAL_ADMIN_API_KEY"] = apiKey;
        start.Environment["Demo__Project"] = SourceProject;
        start.Environment["Demo__Size"] = "large";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        // Memory is measured here, not latency: Azurite, single-threaded on a shared machine, may take longer than the
        // production deadline to scan a large project's rows, which would end calls with 503 storage_unavailable.
        start.Environment["Storage__Requests__NetworkTimeout"] = "00:01:00";
        return Process.Start(start) ?? throw new InvalidOperationException($"Could not start {dll}.");
    }

    private static async Task WaitUntilReadyAsync(HttpClient http, Process child, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (child.HasExited) throw new InvalidOperationException($"The LocalHost exited with {child.ExitCode} before it was ready.");
            try
            {
                using var response = await http.GetAsync("/api/health", cancellationToken);
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// Waits the settle minute, printing the resident set every 5 s split as the kernel counts it (anonymous: heaps
    /// and stacks; file: mapped code; shmem: the runtime's double-mapped JIT code), so a figure that does not come down
    /// shows which kind of memory holds it; returns the RSS at the end.
    /// </summary>
    private static async Task<long> WatchSettlingAsync(Process child, CancellationToken cancellationToken)
    {
        Console.WriteLine($"{"after",8}{"RSS",10}{"anon",10}{"file",10}{"shmem",10}{"threads",9}");
        var started = Stopwatch.StartNew();
        for (var next = TimeSpan.Zero; next <= SettleTime; next += TimeSpan.FromSeconds(5))
        {
            if (next > started.Elapsed) await Task.Delay(next - started.Elapsed, cancellationToken);
            var status = Status(child);
            Console.WriteLine($"{next.TotalSeconds,7:F0}s{status["VmRSS"] / 1e6,7:F0} MB{status["RssAnon"] / 1e6,7:F0} MB{status["RssFile"] / 1e6,7:F0} MB{status["RssShmem"] / 1e6,7:F0} MB{status["Threads"],9}");
        }
        return Rss(child);
    }

    /// <summary>The process's resident set (VmRSS in /proc/pid/status), in bytes.</summary>
    public static long Rss(Process process) => Status(process)["VmRSS"];

    /// <summary>The numeric fields of /proc/pid/status, sizes in bytes (the file gives kB).</summary>
    private static Dictionary<string, long> Status(Process process)
    {
        var fields = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines($"/proc/{process.Id}/status"))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var parts = line[(colon + 1)..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (colon > 0 && parts.Length is 1 or 2 && long.TryParse(parts[0], System.Globalization.CultureInfo.InvariantCulture, out var value))
            {
                fields[line[..colon]] = parts is [_, "kB"] ? value * 1024 : value;
            }
        }
        return fields;
    }

    /// <summary>Samples another process's RSS every 100 ms until disposed, keeping the peak.</summary>
    private sealed class RssSampler : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private long _peak;

        public long PeakBytes => Interlocked.Read(ref _peak);

        public static RssSampler Start(Process process)
        {
            var sampler = new RssSampler();
            _ = Task.Run(async () =>
            {
                using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
                do
                {
                    var rss = Rss(process);
                    if (rss > Interlocked.Read(ref sampler._peak)) Interlocked.Exchange(ref sampler._peak, rss);
                } while (await timer.WaitForNextTickAsync(sampler._stop.Token).ConfigureAwait(false));
            });
            return sampler;
        }

        public void Dispose()
        {
            _stop.Cancel();
            _stop.Dispose();
        }
    }
}
