using Azure.Storage.Queues;

namespace ProjectExports.Benchmarks;

/// <summary>The API load of the benchmark: runs <see cref="LoadDriver"/>, prints its figures, and lets the builds it queued finish.</summary>
public static class LoadPhase
{
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromMinutes(2);

    public static async Task RunAsync(
        HttpClient http, string projectId, BenchSettings settings, QueueClient exportQueue, Dictionary<string, object> figures, CancellationToken cancellationToken)
    {
        var azuriteCpuBefore = AzuriteCpu.Seconds();
        var load = await LoadDriver.RunAsync(http, projectId, settings.Callers, settings.Think, settings.LoadDuration, cancellationToken);
        var requests = load.CreateMs.Count + load.ListMs.Count;
        var createP50 = Statistics.Percentile(load.CreateMs, 50);
        var createP99 = Statistics.Percentile(load.CreateMs, 99);
        var listP50 = Statistics.Percentile(load.ListMs, 50);
        var listP99 = Statistics.Percentile(load.ListMs, 99);
        Console.WriteLine();
        Console.WriteLine($"API load: {settings.Callers} concurrent callers, {settings.Think.TotalMilliseconds:F0} ms between calls (on average), " +
            $"for {load.Duration.TotalSeconds:F0} s after {LoadDriver.WarmUp.TotalSeconds:F0} s of warm-up: " +
            $"{requests} requests ({requests / load.Duration.TotalSeconds:F0}/s), {load.Errors} errors");
        Console.WriteLine($"  create export  p50 {createP50,7:F1} ms  p99 {createP99,7:F1} ms  ({load.CreateMs.Count})");
        Console.WriteLine($"  list exports   p50 {listP50,7:F1} ms  p99 {listP99,7:F1} ms  ({load.ListMs.Count})");
        if (AzuriteCpu.Seconds() - azuriteCpuBefore is { } azuriteCpu)
        {
            var busy = azuriteCpu / (load.Duration + LoadDriver.WarmUp).TotalSeconds * 100;
            Console.WriteLine($"  Azurite (single-threaded) was busy {busy:F0}% of one core meanwhile");
            figures["azurite_cpu_pct"] = Math.Round(busy, 1);
        }
        figures["callers"] = settings.Callers;
        figures["think_ms"] = settings.Think.TotalMilliseconds;
        figures["load_rps"] = Math.Round(requests / load.Duration.TotalSeconds, 1);
        figures["create_p50_ms"] = Math.Round(createP50, 1);
        figures["create_p99_ms"] = Math.Round(createP99, 1);
        figures["list_p50_ms"] = Math.Round(listP50, 1);
        figures["list_p99_ms"] = Math.Round(listP99, 1);
        figures["load_requests"] = requests;
        figures["load_errors"] = load.Errors;

        // Every create queued a build; they finish before anything else is measured.
        var deadline = DateTime.UtcNow + DrainTimeout;
        while ((await exportQueue.GetPropertiesAsync(cancellationToken)).Value.ApproximateMessagesCount > 0)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The builds queued by the API load did not finish within {DrainTimeout}.");
            }
            await Task.Delay(100, cancellationToken);
        }
    }
}
