using System.Diagnostics;

namespace ProjectExports.Benchmarks;

public sealed record LoadResult(IReadOnlyList<double> CreateMs, IReadOnlyList<double> ListMs, int Errors, TimeSpan Duration);

/// <summary>
/// Concurrent API callers for a bounded time: each creates an export, pauses, lists the project's exports,
/// pauses, and again, until the time is up. The pause (think time) makes them callers rather than a flood; with
/// none, 50 callers saturate a 2-core machine and latency only measures the queue in front of Azurite. Callers
/// start spread over one pause, and each pause is drawn between half and one and a half think times, so they do not
/// fall into lockstep. The first <see cref="WarmUp"/> opens the connections (client to app, app to Azurite) and
/// compiles the API's code paths: its latencies are not counted, its errors are. Every non-2xx answer or exception
/// is an error.
/// </summary>
public static class LoadDriver
{
    public static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(5);

    public static async Task<LoadResult> RunAsync(
        HttpClient http, string projectId, int callers, TimeSpan think, TimeSpan duration, CancellationToken cancellationToken)
    {
        var creates = new List<double>();
        var lists = new List<double>();
        var errors = 0;
        var stopwatch = Stopwatch.StartNew();
        async Task CallerAsync(int caller)
        {
            var random = new Random(caller);
            TimeSpan Pause() => think * (0.5 + random.NextDouble());
            await Task.Delay(think * caller / callers, cancellationToken);
            while (stopwatch.Elapsed < WarmUp + duration && !cancellationToken.IsCancellationRequested)
            {
                var counted = stopwatch.Elapsed >= WarmUp;
                var created = await TimeAsync(() => http.PostAsync($"/api/projects/{projectId}/project-exports", null, cancellationToken));
                await Task.Delay(Pause(), cancellationToken);
                var listed = await TimeAsync(() => http.GetAsync($"/api/projects/{projectId}/project-exports?limit=20", cancellationToken));
                await Task.Delay(Pause(), cancellationToken);
                lock (creates)
                {
                    if (created is not { } c) errors++; else if (counted) creates.Add(c);
                    if (listed is not { } l) errors++; else if (counted) lists.Add(l);
                }
            }
        }
        await Task.WhenAll(Enumerable.Range(0, callers).Select(caller => Task.Run(() => CallerAsync(caller), cancellationToken)));
        return new LoadResult(creates, lists, errors, stopwatch.Elapsed - WarmUp);
    }

    /// <returns>Milliseconds, or null when the call failed.</returns>
    private static async Task<double?> TimeAsync(Func<Task<HttpResponseMessage>> call)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await call();
            await response.Content.LoadIntoBufferAsync();
            return response.IsSuccessStatusCode ? Stopwatch.GetElapsedTime(started).TotalMilliseconds : null;
        }
        catch (HttpRequestException)
        {
            return null;
        }
        catch (TaskCanceledException)
        {
            return null;
        }
    }
}
