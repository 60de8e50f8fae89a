using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ProjectExports.Benchmarks.Counting;

namespace ProjectExports.Benchmarks;

/// <summary>
/// One import through the real pipeline, as a user sees it, with the heap and the storage work meanwhile:
/// <see cref="Elapsed"/> from the POST to SUCCESS, <see cref="Accepted"/> from the POST to its 202.
/// </summary>
/// <param name="AppliedPeakHeapBytes">The heap's peak after the 202 (over the same start as <paramref name="PeakHeapBytes"/>): the apply step's own.</param>
public sealed record ImportMeasurement(TimeSpan Elapsed, TimeSpan Accepted, long PeakHeapBytes, long AppliedPeakHeapBytes, StorageCounts Storage)
{
    /// <summary>From the 202 to SUCCESS: the queue hop, the plan's load, the snapshot, the writes and their verification (issue 18's import time).</summary>
    public TimeSpan Applied => Elapsed - Accepted;
}

public static class ImportRun
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    /// <summary>
    /// Posts the document (read from <paramref name="documentPath"/> as it is sent, so this process does not hold it
    /// on the heap being measured) and polls the import until it leaves PROCESSING: from the POST to its 202
    /// (validation, planning, storing the document and plan) and on to SUCCESS (the queue hop, the snapshot, the
    /// writes and their verification).
    /// </summary>
    public static async Task<ImportMeasurement> MeasureAsync(
        HttpClient http, string projectId, string documentPath, StorageCountingPolicy counter, CancellationToken cancellationToken)
    {
        using var heap = HeapSampler.Start();
        var countsBefore = counter.Snapshot();
        var stopwatch = Stopwatch.StartNew();
        string importId;
        TimeSpan accepted;
        await using (var document = File.OpenRead(documentPath))
        {
            using var content = new StreamContent(document);
            content.Headers.ContentType = new("application/json");
            using var created = await http.PostAsync($"/api/projects/{projectId}/project-imports", content, cancellationToken);
            accepted = stopwatch.Elapsed;
            heap.Mark();
            var body = await created.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
            if (created.StatusCode != HttpStatusCode.Accepted)
            {
                throw new InvalidOperationException($"The import into {projectId} answered {(int)created.StatusCode}: {body}");
            }
            importId = body.GetProperty("id").GetString()!;
        }
        while (true)
        {
            var record = await http.GetFromJsonAsync<JsonElement>($"/api/projects/{projectId}/project-imports/{importId}", cancellationToken);
            var status = record.GetProperty("status").GetString();
            if (status == "SUCCESS")
            {
                var elapsed = stopwatch.Elapsed;
                var counts = counter.Snapshot() - countsBefore;
                heap.Dispose();
                return new ImportMeasurement(elapsed, accepted, heap.RiseBytes, heap.RiseSinceMarkBytes, counts);
            }
            if (status != "PROCESSING")
            {
                throw new InvalidOperationException($"Import {importId} into {projectId} ended {status}: {record.GetProperty("error")}");
            }
            if (stopwatch.Elapsed > Timeout)
            {
                throw new TimeoutException($"Import {importId} into {projectId} was still PROCESSING after {Timeout}.");
            }
            await Task.Delay(PollInterval, cancellationToken);
        }
    }
}
