using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using ProjectExports.Benchmarks.Counting;

namespace ProjectExports.Benchmarks;

/// <summary>One export through the real pipeline, as a user sees it, with what the process's heap did meanwhile.</summary>
/// <remarks><see cref="Storage"/> is the app's work on the project table, when a counter was given.</remarks>
public sealed record ExportMeasurement(TimeSpan Elapsed, long DocumentBytes, long PeakHeapBytes, long AllocatedBytes, StorageCounts? Storage = null);

public static class ExportRun
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Creates an export over HTTP and polls it until it leaves PROCESSING: the time includes the HTTP call, the
    /// queue hop, the build and the blob, and the heap is sampled (after a full GC) for the whole of it.
    /// </summary>
    /// <param name="environment">Exports that environment alone (a selection) instead of the whole project.</param>
    /// <param name="format">The export's format ("json", "yaml").</param>
    /// <param name="counter">Counts the storage work of the export (the app's only, as nothing else runs meanwhile).</param>
    public static async Task<ExportMeasurement> MeasureAsync(
        HttpClient http, string projectId, CancellationToken cancellationToken, bool liveHeapOnly = false, string? environment = null, string format = "json",
        StorageCountingPolicy? counter = null)
    {
        using var heap = HeapSampler.Start(liveHeapOnly);
        var countsBefore = counter?.Snapshot();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var stopwatch = Stopwatch.StartNew();
        using var created = await http.PostAsJsonAsync($"/api/projects/{projectId}/project-exports", environment is null
            ? new { include_identity_overrides = true, include_tags = true, format, environments = (string[]?)null }
            : new { include_identity_overrides = true, include_tags = true, format, environments = (string[]?)[environment] }, cancellationToken);
        created.EnsureSuccessStatusCode();
        var exportId = (await created.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("id").GetString()!;
        while (true)
        {
            using var response = await http.GetAsync($"/api/projects/{projectId}/project-exports/{exportId}", cancellationToken);
            response.EnsureSuccessStatusCode();
            var record = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
            var status = record.GetProperty("status").GetString();
            if (status == "SUCCESS")
            {
                var elapsed = stopwatch.Elapsed;
                var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
                var counts = counter?.Snapshot() - countsBefore;
                heap.Dispose();
                return new ExportMeasurement(elapsed, record.GetProperty("size_bytes").GetInt64(), heap.RiseBytes, allocated, counts);
            }
            if (status != "PROCESSING")
            {
                throw new InvalidOperationException($"Export {exportId} of {projectId} ended {status}: {record.GetProperty("error")}");
            }
            if (stopwatch.Elapsed > Timeout)
            {
                throw new TimeoutException($"Export {exportId} of {projectId} was still PROCESSING after {Timeout}.");
            }
            await Task.Delay(PollInterval, cancellationToken);
        }
    }

    /// <summary>Exports the project (JSON, identity overrides and tags included) and downloads the document.</summary>
    public static async Task<byte[]> ExportDocumentAsync(HttpClient http, string projectId, CancellationToken cancellationToken)
    {
        await MeasureAsync(http, projectId, cancellationToken);
        var list = await http.GetFromJsonAsync<JsonElement>($"/api/projects/{projectId}/project-exports", cancellationToken);
        var exportId = list.GetProperty("results")[0].GetProperty("id").GetString();
        return await http.GetByteArrayAsync($"/api/projects/{projectId}/project-exports/{exportId}/download", cancellationToken);
    }
}
