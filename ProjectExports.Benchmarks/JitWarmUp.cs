using System.Runtime;

namespace ProjectExports.Benchmarks;

/// <summary>What a warm-up took: each run's time, and whether the JIT settled before the limit.</summary>
public sealed record WarmUpResult(IReadOnlyList<double> Milliseconds, bool Settled);

/// <summary>
/// Repeats a piece of work until the JIT settles. Tiered compilation recompiles a fresh process's hot methods
/// (instrumented first, then optimized) over its first dozens of large exports: on a 2-core machine an L export then
/// shares its cores with hundreds of method compilations and runs up to half again as long. Figures measured before
/// that settles measure the JIT, not the service; the first (cold) run and the warm-up are printed beside them.
/// </summary>
public static class JitWarmUp
{
    /// <summary>A run that compiles fewer methods than this is settled (a settled L export compiles a few dozen).</summary>
    public const int SettledMethods = 100;

    /// <summary>Settled runs in a row that end the warm-up.</summary>
    public const int SettledRuns = 2;

    public static async Task<WarmUpResult> RunAsync(int maxRuns, Func<Task<TimeSpan>> work)
    {
        var times = new List<double>();
        var settled = 0;
        while (times.Count < maxRuns && settled < SettledRuns)
        {
            var before = JitInfo.GetCompiledMethodCount();
            times.Add((await work()).TotalMilliseconds);
            settled = JitInfo.GetCompiledMethodCount() - before < SettledMethods ? settled + 1 : 0;
        }
        return new WarmUpResult(times, settled >= SettledRuns);
    }

    /// <summary>One line saying what the warm-up took, for the figures that follow it.</summary>
    public static void Print(string what, WarmUpResult warmUp, string prefix, Dictionary<string, object> figures)
    {
        var times = warmUp.Milliseconds;
        Console.WriteLine(
            $"Warm-up: {times.Count} {what} until the JIT compiled fewer than {SettledMethods} methods in {SettledRuns} runs in a row" +
            $"{(warmUp.Settled ? "" : " (not reached)")}: the first (a cold process) took {times[0]:F0} ms, " +
            $"the median {Statistics.Median(times):F0} ms, the last {times[^1]:F0} ms.");
        figures[$"{prefix}_cold_ms"] = Math.Round(times[0], 1);
        figures[$"{prefix}_warmup_runs"] = times.Count;
        figures[$"{prefix}_warmup_median_ms"] = Math.Round(Statistics.Median(times), 1);
        figures[$"{prefix}_warmup_settled"] = warmUp.Settled;
    }
}
