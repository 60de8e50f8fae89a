using ProjectExports.Benchmarks.Counting;

namespace ProjectExports.Benchmarks;

/// <summary>The export table of the benchmark: each seeded project exported several times next to its storage floor.</summary>
public static class ExportPhase
{
    /// <summary>An L export settles within about 20 (each beside its floor, a second); the limit bounds the benchmark.</summary>
    private const int MaxWarmUpRuns = 40;

    public static async Task RunAsync(
        HttpClient http, IReadOnlyList<SeededProject> projects, StorageFloor floor, StorageCountingPolicy counter, BenchSettings settings,
        Dictionary<string, object> figures, CancellationToken cancellationToken)
    {
        var storage = new List<(string Size, StorageCounts Counts)>();
        Console.WriteLine();
        // The largest project warms up the code every size runs; each export beside its floor, so both are warm.
        var largest = projects[^1];
        var warmUp = await JitWarmUp.RunAsync(MaxWarmUpRuns, async () =>
        {
            var export = await ExportRun.MeasureAsync(http, largest.ProjectId, cancellationToken);
            await floor.MeasureAsync(largest, export.DocumentBytes, cancellationToken);
            return export.Elapsed;
        });
        JitWarmUp.Print($"exports of {largest.Size}, each beside its floor,", warmUp, $"{largest.Size}_export", figures);
        Console.WriteLine($"{"size",-4} {"doc bytes",12} {"export ms",10} {"floor ms",9} {"ratio",6} {"peak heap MB",13} {"live MB",8} {"alloc MB",9} {"floor alloc MB",15}");
        foreach (var project in projects)
        {
            var exports = new List<ExportMeasurement>();
            var floors = new List<double>();
            var floorAllocations = new List<double>();
            // With --profile 1, the first export's allocations by type (the floor's included) are printed before the size's row.
            using var profile = settings.Profile ? new AllocationProfile() : null;
            for (var run = 0; run < settings.Runs; run++)
            {
                profile?.Record(run == 0);
                // Alternate export and floor, so drift in the machine's load hits both alike.
                var export = await ExportRun.MeasureAsync(http, project.ProjectId, cancellationToken, counter: counter);
                exports.Add(export);
                var (floorElapsed, floorAllocated) = await floor.MeasureAsync(project, export.DocumentBytes, cancellationToken);
                floors.Add(floorElapsed.TotalMilliseconds);
                floorAllocations.Add(floorAllocated);
            }
            profile?.Print();
            var exportMs = Statistics.Median(exports.Select(e => e.Elapsed.TotalMilliseconds).ToList());
            var floorMs = Statistics.Median(floors);
            var peakMb = exports.Max(e => e.PeakHeapBytes) / 1048576.0;
            // One more export, slowed by full GCs, shows what the build keeps reachable: the memory it needs.
            var liveMb = (await ExportRun.MeasureAsync(http, project.ProjectId, cancellationToken, liveHeapOnly: true)).PeakHeapBytes / 1048576.0;
            var allocatedMb = Statistics.Median(exports.Select(e => (double)e.AllocatedBytes).ToList()) / 1048576.0;
            var floorAllocatedMb = Statistics.Median(floorAllocations) / 1048576.0;
            var bytes = exports[^1].DocumentBytes;
            Console.WriteLine($"{project.Size,-4} {bytes,12:N0} {exportMs,10:F0} {floorMs,9:F0} {exportMs / floorMs,6:F2} {peakMb,13:F1} {liveMb,8:F1} {allocatedMb,9:F1} {floorAllocatedMb,15:F1}");
            var p = project.Size;
            figures[$"{p}_ms"] = Math.Round(exportMs, 1);
            figures[$"{p}_floor_ms"] = Math.Round(floorMs, 1);
            figures[$"{p}_ratio"] = Math.Round(exportMs / floorMs, 3);
            figures[$"{p}_bytes"] = bytes;
            figures[$"{p}_peak_heap_mb"] = Math.Round(peakMb, 1);
            figures[$"{p}_live_heap_mb"] = Math.Round(liveMb, 1);
            figures[$"{p}_alloc_mb"] = Math.Round(allocatedMb, 1);
            figures[$"{p}_floor_alloc_mb"] = Math.Round(floorAllocatedMb, 1);
            // The last run's: the same for every run but the first of a size, which may look the project up (a minute's cache).
            var counts = exports[^1].Storage!.Value;
            storage.Add((p, counts));
            figures[$"{p}_export_requests"] = counts.Requests;
            figures[$"{p}_export_query_pages"] = counts.QueryPages;
            figures[$"{p}_export_entities"] = counts.EntitiesRead;
            await MeasureOneEnvironmentAsync(http, project, exportMs, settings, figures, cancellationToken);
            if (p == "L")
            {
                await MeasureYamlAsync(http, project, settings, exportMs, figures, cancellationToken);
            }
        }
        StorageWork.Print("export", storage);
        if (figures.TryGetValue("L_peak_heap_mb", out var largePeak) && figures.TryGetValue("S_peak_heap_mb", out var smallPeak))
        {
            figures["L_minus_S_peak_heap_mb"] = Math.Round((double)largePeak - (double)smallPeak, 1);
            if (figures.TryGetValue("L_yaml_peak_heap_mb", out var yamlPeak))
            {
                figures["L_yaml_minus_S_peak_heap_mb"] = Math.Round((double)yamlPeak - (double)smallPeak, 1);
            }
        }
    }

    /// <summary>
    /// Exports of one environment of the project (a selection) beside the full one: it reads that environment's partitions
    /// alone, so its time and size show what a selection saves.
    /// </summary>
    private static async Task MeasureOneEnvironmentAsync(
        HttpClient http, SeededProject project, double fullMs, BenchSettings settings, Dictionary<string, object> figures, CancellationToken cancellationToken)
    {
        var exports = new List<ExportMeasurement>();
        for (var run = 0; run < settings.Runs; run++)
        {
            exports.Add(await ExportRun.MeasureAsync(http, project.ProjectId, cancellationToken, environment: project.OneEnvironment));
        }
        var ms = Statistics.Median(exports.Select(e => e.Elapsed.TotalMilliseconds).ToList());
        var bytes = exports[^1].DocumentBytes;
        // Under the size's row: the ratio column compares with the full export, not with a floor.
        Console.WriteLine($"{"",-4} {bytes,12:N0} {ms,10:F0} {"",9} {ms / fullMs,6:F2} one environment (\"{project.OneEnvironment}\" of {project.EnvironmentIds.Count}); ratio to the full export");
        figures[$"{project.Size}_one_env_ms"] = Math.Round(ms, 1);
        figures[$"{project.Size}_one_env_bytes"] = bytes;
        figures[$"{project.Size}_one_env_ratio"] = Math.Round(ms / fullMs, 3);
    }

    /// <summary>The same project exported as YAML, beside its JSON time: YAML is the JSON converted as it is written.</summary>
    private static async Task MeasureYamlAsync(
        HttpClient http, SeededProject project, BenchSettings settings, double jsonMs, Dictionary<string, object> figures, CancellationToken cancellationToken)
    {
        var exports = new List<ExportMeasurement>();
        for (var run = 0; run < settings.Runs; run++)
        {
            exports.Add(await ExportRun.MeasureAsync(http, project.ProjectId, cancellationToken, format: "yaml"));
        }
        var ms = Statistics.Median(exports.Select(e => e.Elapsed.TotalMilliseconds).ToList());
        var peakMb = exports.Max(e => e.PeakHeapBytes) / 1048576.0;
        var liveMb = (await ExportRun.MeasureAsync(http, project.ProjectId, cancellationToken, liveHeapOnly: true, format: "yaml")).PeakHeapBytes / 1048576.0;
        var allocatedMb = Statistics.Median(exports.Select(e => (double)e.AllocatedBytes).ToList()) / 1048576.0;
        var bytes = exports[^1].DocumentBytes;
        Console.WriteLine($"{project.Size} as YAML: {bytes:N0} bytes, {ms:F0} ms ({ms / jsonMs:F2} x JSON), peak heap {peakMb:F1} MB, live {liveMb:F1} MB, alloc {allocatedMb:F1} MB");
        var p = project.Size;
        figures[$"{p}_yaml_ms"] = Math.Round(ms, 1);
        figures[$"{p}_yaml_to_json_time"] = Math.Round(ms / jsonMs, 3);
        figures[$"{p}_yaml_bytes"] = bytes;
        figures[$"{p}_yaml_peak_heap_mb"] = Math.Round(peakMb, 1);
        figures[$"{p}_yaml_live_heap_mb"] = Math.Round(liveMb, 1);
        figures[$"{p}_yaml_alloc_mb"] = Math.Round(allocatedMb, 1);
    }
}
