using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ProjectExports.Benchmarks;
using ProjectExports.Benchmarks.Counting;
using ProjectExports.Jobs;
using ProjectExports.LocalHost;
using ProjectExports.LocalHost.Demo;
using ProjectExports.Projects;
using ProjectExports.Security;
using ProjectExports.Storage;

// Exports demo projects of three sizes through the real pipeline (LocalHost in this process, Azurite from
// scripts/bench) next to the bare storage floor (the exports phase), and drives the API with concurrent callers
// (the load phase). Prints a table and, as its last line, one JSON object with every figure.
var settings = BenchSettings.Parse(args);
if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(StorageNames.ConnectionSetting)))
{
    Console.Error.WriteLine($"Set {StorageNames.ConnectionSetting} to a storage account (scripts/bench starts Azurite and sets it).");
    return 2;
}
using var timeout = new CancellationTokenSource(settings.MaxRuntime);
var cancellationToken = timeout.Token;
if (settings.Phase is BenchPhase.Imports)
{
    // Its own LocalHost process (built by scripts/bench), so the resident set measured is the host's alone.
    return await ImportMemoryPhase.RunAsync(settings with { Callers = settings.Callers == 50 ? 16 : settings.Callers },
        Environment.GetEnvironmentVariable("BENCH_LOCALHOST_DLL") ?? "ProjectExports.LocalHost/bin/Release/net10.0/ProjectExports.LocalHost.dll", cancellationToken);
}

// Counts the app's storage work on the project table (and the floors', which go through the same clients).
var counter = new StorageCountingPolicy();
var app = LocalHostApp.Create(["--urls", "http://127.0.0.1:0"], builder =>
{
    builder.Services.AddSingleton(counter.Registration);
    // Polling stays as configured: an export created over HTTP wakes the LocalHost's listener at once. Run from the
    // repository root, the LocalHost's appsettings.json is not read, so the required schedule is given here.
    builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Logging:LogLevel:Default"] = "Warning",
        [CleanupSchedule.Setting] = CleanupSchedule.Default,
        // L is about 9 MB as JSON and over the default 10 MB limit as YAML (indentation); the limit only counts bytes,
        // so raising it changes no measured work and lets L's YAML export be measured beside its JSON one.
        ["Exports:MaxDocumentBytes"] = "16000000",
    });
});
await app.StartAsync(cancellationToken);
var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
// An all-projects key, as the local admin key of scripts/run: every call pays for real authentication.
var (_, apiKey) = ApiKeySecret.Generate();
await app.Services.GetRequiredService<ApiKeyStore>().SaveAsync(apiKey, "benchmark", allProjects: true, cancellationToken);
using var http = BenchHttp.Create(new Uri(address), apiKey);
var store = app.Services.GetRequiredService<ProjectStore>();

// scripts/bench says how it placed this process and Azurite on the cores.
var placement = Environment.GetEnvironmentVariable("BENCH_PLACEMENT") is { Length: > 0 } given ? given : $"{Environment.ProcessorCount} cores shared with Azurite";
Console.WriteLine($"ProjectExports benchmark ({settings.Phase} phase): {placement}, .NET {Environment.Version}, {settings.Runs} runs per size");
// Figures of an earlier phase (scripts/bench runs the load phase first, in a process of its own) lead the JSON line.
var figures = Environment.GetEnvironmentVariable("BENCH_EARLIER_FIGURES") is { Length: > 0 } earlier
    ? JsonSerializer.Deserialize(earlier, BenchJsonContext.Default.DictionaryStringObject)!
    : new Dictionary<string, object>();

// S always: the warm-up and the API load use it. M and L only when exports are measured.
var projects = new List<SeededProject> { await SeedAsync(store, "S", DemoProjectSpec.Small, cancellationToken) };
var measureExports = settings.Phase is BenchPhase.Exports or BenchPhase.All;
foreach (var (size, spec) in new[] { ("M", DemoProjectSpec.Medium), ("L", DemoProjectSpec.Large) })
{
    if (measureExports && settings.Sizes.Contains(size, StringComparison.Ordinal))
    {
        projects.Add(await SeedAsync(store, size, spec, cancellationToken));
    }
}
// One unmeasured export, after seeding (whose garbage it absorbs), warms up the JIT, connection pools and Azurite.
await ExportRun.MeasureAsync(http, projects[0].ProjectId, cancellationToken);
if (measureExports)
{
    var measured = projects.Where(p => settings.Sizes.Contains(p.Size, StringComparison.Ordinal)).ToList();
    var clients = app.Services.GetRequiredService<StorageClients>();
    await ExportPhase.RunAsync(http, measured, new StorageFloor(clients), counter, settings, figures, cancellationToken);
    // Imports last: they add projects' rows to the table, which Azurite would scan during the exports.
    var imported = measured.Where(p => p.Size is "S" or "L").ToList();
    if (imported.Count > 0)
        await ImportPhase.RunAsync(http, imported, store, new ImportFloor(clients, counter), counter, settings, figures, cancellationToken);
}
if (settings.Phase is BenchPhase.Load or BenchPhase.All)
{
    var exportQueue = app.Services.GetRequiredService<StorageClients>().Queues.GetQueueClient(StorageNames.ExportQueue);
    await LoadPhase.RunAsync(http, projects[0].ProjectId, settings, exportQueue, figures, cancellationToken);
}

await app.StopAsync(CancellationToken.None);
await app.DisposeAsync();
if (measureExports)
{
    TargetSummary.Print(figures);
}
Console.WriteLine();
Console.WriteLine(JsonSerializer.Serialize(figures, BenchJsonContext.Default.DictionaryStringObject));
return 0;

static async Task<SeededProject> SeedAsync(ProjectStore store, string size, DemoProjectSpec spec, CancellationToken cancellationToken)
{
    var projectId = $"bench-{size.ToLowerInvariant()}";
    var snapshot = DemoProjectGenerator.Generate(projectId, $"Benchmark {size}", spec);
    var seeding = Stopwatch.StartNew();
    await store.SaveAsync(snapshot, cancellationToken);
    Console.WriteLine($"seeded {size}: {spec.Features} features, {spec.Environments} environments, {spec.IdentityOverridesPerEnvironment} identity overrides per environment ({seeding.Elapsed.TotalSeconds:F1} s)");
    // Only ids are kept: the snapshot must not sit on the heap while builds are measured.
    return new SeededProject(size, projectId, snapshot.Environments.Select(e => e.Environment.Id).ToList(), snapshot.Environments[0].Environment.Name);
}
