using System.Globalization;

namespace ProjectExports.Benchmarks;

/// <summary>
/// Issue 18's targets beside this run's figures (the load's come from the earlier phase's JSON line), and its heap bound
/// applied to a restore as well. A figure the run did not measure (another --sizes or --phase) is left out.
/// </summary>
public static class TargetSummary
{
    private sealed record Target(string Name, string Key, string Unit, string Goal, Func<double, bool> Holds);

    private static readonly Target[] Targets =
    [
        new("L export, POST to SUCCESS (median)", "L_ms", "ms", "<= 550 ms", v => v <= 550),
        new("L export / its raw read floor", "L_ratio", "", "<= 1.3", v => v <= 1.3),
        new("L import, 202 to SUCCESS (median)", "L_import_ms", "ms", "<= 8000 ms", v => v <= 8000),
        new("L import / its raw write floor", "L_import_ratio", "", "<= 2", v => v <= 2),
        new("peak heap L - S, export", "L_minus_S_peak_heap_mb", "MB", "<= 32 MB", v => v <= 32),
        new("peak heap L - S, import", "L_minus_S_import_peak_heap_mb", "MB", "<= 32 MB", v => v <= 32),
        new("peak heap L - S, restore over its project", "L_minus_S_restore_peak_heap_mb", "MB", "<= 32 MB", v => v <= 32),
        new("create p99 under the API load", "create_p99_ms", "ms", "< 50 ms", v => v < 50),
        new("errors under the API load", "load_errors", "", "0", v => v == 0),
        new("L export: entities read", "L_export_entities", "", $"<= {Baseline.LExportEntities / 4:N0} (1/4 of {Baseline.LExportEntities:N0})", v => v <= Baseline.LExportEntities / 4),
        new("L export: storage requests", "L_export_requests", "", "a few dozen", v => v <= 48),
        new("L import: transactions", "L_import_transactions", "", $"<= {Baseline.LImportTransactions / 4:N0} (1/4 of {Baseline.LImportTransactions:N0})", v => v <= Baseline.LImportTransactions / 4),
    ];

    public static void Print(IReadOnlyDictionary<string, object> figures)
    {
        Console.WriteLine();
        Console.WriteLine($"{"Issue 18 targets",-38} {"measured",12} {"target",-28} held");
        foreach (var target in Targets)
        {
            if (!figures.TryGetValue(target.Key, out var figure))
            {
                continue;
            }
            var value = Convert.ToDouble(figure is System.Text.Json.JsonElement element ? element.GetDouble() : figure, CultureInfo.InvariantCulture);
            var shown = value == Math.Floor(value) && value >= 100 ? value.ToString("N0", CultureInfo.InvariantCulture) : value.ToString("0.###", CultureInfo.InvariantCulture);
            Console.WriteLine($"{target.Name,-38} {shown + (target.Unit.Length > 0 ? " " + target.Unit : ""),12} {target.Goal,-28} {(target.Holds(value) ? "yes" : "no")}");
        }
    }

    /// <summary>
    /// The storage work of the layout before issue 18 (one row per entity; identity overrides one per identity and
    /// feature), counted by this benchmark (commit 031c2ef): machine-independent, so the new layout's counts compare with these.
    /// </summary>
    public static class Baseline
    {
        public const long LExportEntities = 31_168;
        public const long LImportTransactions = 312;
    }
}
