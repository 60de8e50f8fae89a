using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using ProjectExports.Benchmarks;
using ProjectExports.Demo;
using ProjectExports.LocalHost;
using ProjectExports.Projects;
using ProjectExports.Security;
using ProjectExports.Storage;

// Exports demo projects of three sizes through the real pipeline (LocalHost in this process, Azurite from
// scripts/bench) next to the bare storage floor, then drives the API with concurrent callers. Prints a table
// and, as its last line, one JSON object with every figure.
var settings = BenchSettings.Parse(args);
if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(StorageNames.ConnectionSetting)))
{
    Console.Error.WriteLine($"Set {StorageNames.ConnectionSetting} to a storage account (scripts/bench starts Azurite and sets it).");
    return 2;
}
using var timeout = new CancellationTokenSource(settings.MaxRuntime);
var cancellationToken = timeout.Token;

var app = LocalHostApp.Create(["--urls", "http://127.0.0.1:0"], builder =>
{
    // Polling stays as configured: an export created over HTTP wakes the LocalHost's listener at once.
    builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Warning" });
});
await app.StartAsync(cancellationToken);
var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
// An all-projects key, as the local admin key of scripts/run: every call pays for real authentication.
var (_, apiKey) = ApiKeySecret.Generate();
await app.Services.GetRequiredService<ApiKeyStore>().SaveAsync(apiKey, "benchmark", allProjects: true, cancellationToken);
using var http = BenchHttp.Create(new Uri(address), apiKey);
var store = app.Services.GetRequiredService<ProjectStore>();
var floor = new StorageFloor(app.Services.GetRequiredService<StorageClients>());

Console.WriteLine($"ProjectExports benchmark: {Environment.ProcessorCount} cores, .NET {Environment.Version}, {settings.Runs} runs per size");
var projects = new List<SeededProject>();
foreach (var (size, spec) in new[] { ("S", DemoProjectSpec.Small), ("M", DemoProjectSpec.Medium), ("L", DemoProjectSpec.Large) })
{
    if (!settings.Sizes.Contains(size, StringComparison.Ordinal) && size != "S")
    {
        continue; // S always: the warm-up and the API load use it
    }
    var seeding = Stopwatch.StartNew();
    projects.Add(await SeedAsync(store, size, spec, cancellationToken));
    Console.WriteLine($"seeded {size}: {spec.Features} features, {spec.Environments} environments, {spec.IdentityOverridesPerEnvironment} identity overrides per environment ({seeding.Elapsed.TotalSeconds:F1} s)");
}

// One unmeasured export warms up the JIT, connection pools and Azurite.
await ExportRun.MeasureAsync(http, projects[0].ProjectId, cancellationToken);

var figures = new Dictionary<string, object>();
Console.WriteLine();
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
        var export = await ExportRun.MeasureAsync(http, project.ProjectId, cancellationToken);
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
}
if (figures.TryGetValue("L_peak_heap_mb", out var largePeak))
{
    figures["L_minus_S_peak_heap_mb"] = Math.Round((double)largePeak - (double)figures["S_peak_heap_mb"], 1);
}

var azuriteCpuBefore = AzuriteCpu.Seconds();
var load = await LoadDriver.RunAsync(http, projects[0].ProjectId, settings.Callers, settings.Think, settings.LoadDuration, cancellationToken);
var createP50 = Statistics.Percentile(load.CreateMs, 50);
var createP99 = Statistics.Percentile(load.CreateMs, 99);
var listP50 = Statistics.Percentile(load.ListMs, 50);
var listP99 = Statistics.Percentile(load.ListMs, 99);
Console.WriteLine();
Console.WriteLine($"API load: {settings.Callers} concurrent callers, {settings.Think.TotalMilliseconds:F0} ms between calls (on average), " +
    $"for {load.Duration.TotalSeconds:F0} s after {LoadDriver.WarmUp.TotalSeconds:F0} s of warm-up: " +
    $"{load.CreateMs.Count + load.ListMs.Count} requests ({(load.CreateMs.Count + load.ListMs.Count) / load.Duration.TotalSeconds:F0}/s), {load.Errors} errors");
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
figures["load_rps"] = Math.Round((load.CreateMs.Count + load.ListMs.Count) / load.Duration.TotalSeconds, 1);
figures["create_p50_ms"] = Math.Round(createP50, 1);
figures["create_p99_ms"] = Math.Round(createP99, 1);
figures["list_p50_ms"] = Math.Round(listP50, 1);
figures["list_p99_ms"] = Math.Round(listP99, 1);
figures["load_requests"] = load.CreateMs.Count + load.ListMs.Count;
figures["load_errors"] = load.Errors;

await app.StopAsync(CancellationToken.None);
await app.DisposeAsync();
Console.WriteLine();
Console.WriteLine(JsonSerializer.Serialize(figures, BenchJsonContext.Default.DictionaryStringObject));
return 0;

static async Task<SeededProject> SeedAsync(ProjectStore store, string size, DemoProjectSpec spec, CancellationToken cancellationToken)
{
    var projectId = $"bench-{size.ToLowerInvariant()}";
    var snapshot = DemoProjectGenerator.Generate(projectId, $"Benchmark {size}", spec);
    await store.SaveAsync(snapshot, cancellationToken);
    // Only ids are kept: the snapshot must not sit on the heap while builds are measured.
    return new SeededProject(size, projectId, snapshot.Environments.Select(e => e.Environment.Id).ToList());
}
