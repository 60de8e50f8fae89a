using ProjectExports.Benchmarks.Counting;
using ProjectExports.Projects;
using ProjectExports.Storage;

namespace ProjectExports.Benchmarks;

/// <summary>
/// The import table of the benchmark: each project's export document imported into a new empty project, several
/// times, each import next to its raw write floor (<see cref="ImportFloor"/>). Runs after the exports, whose
/// figures it must not disturb: every run adds a project's rows to the table, and Azurite scans the whole table
/// for each query, so later runs (imports and floors alike) read a fuller table.
/// </summary>
public static class ImportPhase
{
    /// <summary>An L import takes many seconds on Azurite; a few runs give a median without doubling the benchmark.</summary>
    public const int MaxRuns = 3;

    /// <summary>An L import settles within about 10 (each beside its floor, three seconds); each is deleted after.</summary>
    private const int MaxWarmUpRuns = 15;

    public static async Task RunAsync(
        HttpClient http, IReadOnlyList<SeededProject> projects, ProjectStore store, ImportFloor floor, StorageCountingPolicy counter,
        BenchSettings settings, Dictionary<string, object> figures, CancellationToken cancellationToken)
    {
        var runs = Math.Min(settings.Runs, MaxRuns);
        Console.WriteLine();
        Console.WriteLine($"Imports of each export document into an empty project, {runs} runs (median):");
        Console.WriteLine($"{"size",-4} {"POST→202 ms",12} {"202→SUCCESS ms",15} {"floor ms",9} {"ratio",6} {"POST→SUCCESS ms",16} {"peak heap MB",13} {"after 202",10} {"floor transactions",19} {"floor rows",11}");
        var storage = new List<(string Size, StorageCounts Counts)>();
        var restores = new List<(string Size, List<ImportMeasurement> Runs)>();
        await WarmUpAsync(http, projects[^1], store, floor, counter, figures, cancellationToken);
        foreach (var project in projects)
        {
            var documentPath = Path.GetTempFileName();
            try
            {
                await File.WriteAllBytesAsync(documentPath, await ExportRun.ExportDocumentAsync(http, project.ProjectId, cancellationToken), cancellationToken);
                var imports = new List<ImportMeasurement>();
                var floors = new List<ImportFloorMeasurement>();
                for (var run = 0; run < runs; run++)
                {
                    var (import, importFloor) = await ImportBesideFloorAsync(http, project, $"{run}", documentPath, store, floor, counter, cancellationToken);
                    imports.Add(import);
                    floors.Add(importFloor);
                }
                // A backup restored over the project it came from: every environment matches, so the planner compares
                // the document with as much of the project's own data. It holds the same data, so nothing is written.
                var restored = new List<ImportMeasurement>();
                for (var run = 0; run < runs; run++)
                {
                    restored.Add(await ImportRun.MeasureAsync(http, project.ProjectId, documentPath, counter, cancellationToken));
                }
                restores.Add((project.Size, restored));
                // Issue 18's import time runs from the 202 to SUCCESS; the time to the 202 (reading, validating and
                // planning the document) is printed beside it, and the whole as POST→SUCCESS.
                var acceptMs = Statistics.Median(imports.Select(i => i.Accepted.TotalMilliseconds).ToList());
                var importMs = Statistics.Median(imports.Select(i => i.Applied.TotalMilliseconds).ToList());
                var totalMs = Statistics.Median(imports.Select(i => i.Elapsed.TotalMilliseconds).ToList());
                var floorMs = Statistics.Median(floors.Select(f => f.Elapsed.TotalMilliseconds).ToList());
                var peakMb = imports.Max(i => i.PeakHeapBytes) / 1048576.0;
                var appliedPeakMb = imports.Max(i => i.AppliedPeakHeapBytes) / 1048576.0;
                var last = floors[^1];
                Console.WriteLine($"{project.Size,-4} {acceptMs,12:F0} {importMs,15:F0} {floorMs,9:F0} {importMs / floorMs,6:F2} {totalMs,16:F0} {peakMb,13:F1} {appliedPeakMb,10:F1} {last.Transactions,19:N0} {last.Rows,11:N0}");
                var p = project.Size;
                figures[$"{p}_import_ms"] = Math.Round(importMs, 1);
                figures[$"{p}_import_accept_ms"] = Math.Round(acceptMs, 1);
                figures[$"{p}_import_total_ms"] = Math.Round(totalMs, 1);
                figures[$"{p}_import_floor_ms"] = Math.Round(floorMs, 1);
                figures[$"{p}_import_ratio"] = Math.Round(importMs / floorMs, 3);
                figures[$"{p}_import_peak_heap_mb"] = Math.Round(peakMb, 1);
                figures[$"{p}_import_apply_peak_heap_mb"] = Math.Round(appliedPeakMb, 1);
                var counts = imports[^1].Storage;
                storage.Add((p, counts));
                figures[$"{p}_import_requests"] = counts.Requests;
                figures[$"{p}_import_transactions"] = counts.Transactions;
                figures[$"{p}_import_entities_written"] = counts.EntitiesWritten;
                figures[$"{p}_import_entities_read"] = counts.EntitiesRead;
                figures[$"{p}_import_floor_transactions"] = last.Transactions;
            }
            finally
            {
                File.Delete(documentPath);
            }
        }
        if (figures.TryGetValue("L_import_peak_heap_mb", out var largePeak) && figures.TryGetValue("S_import_peak_heap_mb", out var smallPeak))
        {
            figures["L_minus_S_import_peak_heap_mb"] = Math.Round((double)largePeak - (double)smallPeak, 1);
            figures["L_minus_S_import_apply_peak_heap_mb"] = Math.Round((double)figures["L_import_apply_peak_heap_mb"] - (double)figures["S_import_apply_peak_heap_mb"], 1);
        }
        StorageWork.Print("import", storage);
        PrintRestores(restores, figures);
    }

    /// <summary>The restores' table: times (median) and the peak heap over the runs, as the imports' table gives them.</summary>
    private static void PrintRestores(List<(string Size, List<ImportMeasurement> Runs)> restores, Dictionary<string, object> figures)
    {
        Console.WriteLine();
        Console.WriteLine($"Each export document imported again over the project it came from (a restore: every environment matched, nothing to write), {restores[0].Runs.Count} runs:");
        Console.WriteLine($"{"size",-4} {"POST→202 ms",12} {"202→SUCCESS ms",15} {"peak heap MB",13}");
        foreach (var (size, runs) in restores)
        {
            var acceptMs = Statistics.Median(runs.Select(r => r.Accepted.TotalMilliseconds).ToList());
            var appliedMs = Statistics.Median(runs.Select(r => r.Applied.TotalMilliseconds).ToList());
            var peakMb = runs.Max(r => r.PeakHeapBytes) / 1048576.0;
            Console.WriteLine($"{size,-4} {acceptMs,12:F0} {appliedMs,15:F0} {peakMb,13:F1}");
            figures[$"{size}_restore_accept_ms"] = Math.Round(acceptMs, 1);
            figures[$"{size}_restore_ms"] = Math.Round(appliedMs, 1);
            figures[$"{size}_restore_peak_heap_mb"] = Math.Round(peakMb, 1);
        }
        if (figures.TryGetValue("L_restore_peak_heap_mb", out var large) && figures.TryGetValue("S_restore_peak_heap_mb", out var small))
        {
            figures["L_minus_S_restore_peak_heap_mb"] = Math.Round((double)large - (double)small, 1);
        }
    }

    /// <summary>Imports the largest project's document beside its floor until the JIT settles (see <see cref="JitWarmUp"/>).</summary>
    private static async Task WarmUpAsync(
        HttpClient http, SeededProject project, ProjectStore store, ImportFloor floor, StorageCountingPolicy counter,
        Dictionary<string, object> figures, CancellationToken cancellationToken)
    {
        var documentPath = Path.GetTempFileName();
        try
        {
            await File.WriteAllBytesAsync(documentPath, await ExportRun.ExportDocumentAsync(http, project.ProjectId, cancellationToken), cancellationToken);
            var run = 0;
            var warmUp = await JitWarmUp.RunAsync(MaxWarmUpRuns, async () =>
                (await ImportBesideFloorAsync(http, project, $"w{run++}", documentPath, store, floor, counter, cancellationToken, deleteAfter: true)).Import.Elapsed);
            JitWarmUp.Print($"imports of {project.Size}, each beside its floor,", warmUp, $"{project.Size}_import", figures);
        }
        finally
        {
            File.Delete(documentPath);
        }
    }

    /// <summary>One import into a new empty project, then its floor; with <paramref name="deleteAfter"/>, both projects' rows are deleted after.</summary>
    private static async Task<(ImportMeasurement Import, ImportFloorMeasurement Floor)> ImportBesideFloorAsync(
        HttpClient http, SeededProject project, string run, string documentPath, ProjectStore store, ImportFloor floor, StorageCountingPolicy counter,
        CancellationToken cancellationToken, bool deleteAfter = false)
    {
        // Same-length ids, so the floor's rows are byte for byte as large as the import's.
        var suffix = $"{project.Size.ToLowerInvariant()}{run}-{Guid.NewGuid():N}"[..12];
        var target = await CreateEmptyProjectAsync(store, $"bench-imp-{suffix}", cancellationToken);
        var import = await ImportRun.MeasureAsync(http, target, documentPath, counter, cancellationToken);
        var floorProject = $"bench-flr-{suffix}";
        var written = await floor.MeasureAsync(target, floorProject, cancellationToken);
        if (deleteAfter)
        {
            await floor.DeleteProjectAsync(target, cancellationToken);
            await floor.DeleteProjectAsync(floorProject, cancellationToken);
        }
        return (import, written);
    }

    private static async Task<string> CreateEmptyProjectAsync(ProjectStore store, string projectId, CancellationToken cancellationToken)
    {
        _ = await store.CreateAsync(new Project { Id = projectId, Name = projectId }, cancellationToken)
            ?? throw new InvalidOperationException($"Project {projectId} already exists.");
        return projectId;
    }
}
