using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ProjectExports.Benchmarks;

/// <summary>
/// What one process of the benchmark measures: the API load (S only in the table), the export table (S, M, L), or
/// both in one process, exports first.
/// </summary>
public enum BenchPhase
{
    All,
    Load,
    Exports,
    /// <summary>Memory of a LocalHost child process under concurrent large imports (<see cref="ImportMemoryPhase"/>); not part of all.</summary>
    Imports,
}

/// <summary>Command-line settings, each bounded so a run always ends.</summary>
public sealed record BenchSettings(string Sizes, int Runs, int Callers, TimeSpan Think, TimeSpan LoadDuration, TimeSpan MaxRuntime, bool Profile = false, BenchPhase Phase = BenchPhase.All)
{
    /// <summary>
    /// Exports per size, each beside its floor. L exports vary by about 10% from one to the next here, so a median of 5
    /// moved the export / floor ratio by 0.07 (one standard deviation) from sampling alone; 11 bring it to 0.045
    /// (docs/performance.md, "How many runs").
    /// </summary>
    public const int DefaultRuns = 11;

    public static BenchSettings Parse(string[] args)
    {
        var settings = new BenchSettings(Sizes: "SML", Runs: DefaultRuns, Callers: 50, Think: TimeSpan.FromMilliseconds(1000), LoadDuration: TimeSpan.FromSeconds(20), MaxRuntime: TimeSpan.FromMinutes(10));
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            if (args[i] == "--sizes")
            {
                settings = settings with { Sizes = new string(args[i + 1].ToUpperInvariant().Where("SML".Contains).Distinct().ToArray()) };
                continue;
            }
            if (args[i] == "--phase")
            {
                settings = settings with
                {
                    Phase = args[i + 1].ToLowerInvariant() switch
                    {
                        "load" => BenchPhase.Load,
                        "exports" => BenchPhase.Exports,
                        "all" => BenchPhase.All,
                        "imports" => BenchPhase.Imports,
                        _ => throw new ArgumentException($"Unknown phase {args[i + 1]}: use load, exports or all (or imports)."),
                    },
                };
                continue;
            }
            var value = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
            settings = args[i] switch
            {
                "--runs" => settings with { Runs = Math.Clamp(value, 1, 50) },
                "--callers" => settings with { Callers = Math.Clamp(value, 1, 500) },
                "--think-ms" => settings with { Think = TimeSpan.FromMilliseconds(Math.Clamp(value, 0, 10_000)) },
                "--load-seconds" => settings with { LoadDuration = TimeSpan.FromSeconds(Math.Clamp(value, 1, 300)) },
                "--profile" => settings with { Profile = value != 0 },
                _ => throw new ArgumentException($"Unknown option {args[i]}: use --sizes SML, --runs N, --callers N, --think-ms N, --load-seconds N, --profile 1, --phase load|exports|all|imports."),
            };
        }
        return settings;
    }
}

[JsonSerializable(typeof(Dictionary<string, object>))]
[JsonSerializable(typeof(double))]
[JsonSerializable(typeof(bool))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class BenchJsonContext : JsonSerializerContext;
