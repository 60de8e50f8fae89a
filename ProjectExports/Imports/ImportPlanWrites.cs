using ProjectExports.Jobs;
using ProjectExports.Projects;
using ProjectExports.Storage;

namespace ProjectExports.Imports;

/// <summary>
/// An import's writes, made from its stored plan partition by partition as the plan downloads, never all its rows
/// held. A first read of the plan takes only its keys, reads the rows stored there now and stores them as the
/// snapshot's "before" (<see cref="ImportSnapshotStore.SaveBeforesOnceAsync"/>), before anything is written. A second
/// read writes each partition's rows that change and checks them back as they are written (<see cref="ProjectRowWrites"/>).
/// Both work by key, so a redelivery, which finds the snapshot stored and takes its "before", converges on the same rows.
/// </summary>
public sealed class ImportPlanWrites(ImportPlanStore plans, ImportSnapshotStore snapshots, ImportWrites writes, ProjectStore projects)
{
    /// <summary>What the first read found: the rows at the plan's keys before the first write, the pages it saw, and how many rows the plan has.</summary>
    public sealed record Befores(IReadOnlyDictionary<ProjectRowKey, byte[]> Rows, IReadOnlyDictionary<string, PageListing> Listings, long PlanRows);

    /// <summary>
    /// Reads the rows stored at <paramref name="plan"/>'s keys, partition by partition while its keys download (a few
    /// partitions at once), and stores them as the import's snapshot unless an earlier delivery did; the "before" stored.
    /// </summary>
    public async Task<Befores> SnapshotAsync(ImportRecord record, ImportPlanRuns plan, CancellationToken cancellationToken)
    {
        await using var current = projects.BeginRowReads();
        long rows = 0;
        await foreach (var run in plan.ReadRunsAsync(keysOnly: true, cancellationToken).ConfigureAwait(false))
        {
            current.Start(run.PartitionKey, run.Rows.Select(r => r.RowKey));
            rows += run.Rows.Count;
        }
        var read = await current.CompleteAsync(cancellationToken).ConfigureAwait(false);
        var stored = await snapshots.SaveBeforesOnceAsync(record.Project, record.Id, read.Rows, cancellationToken).ConfigureAwait(false);
        return new Befores(stored, read.Listings, rows);
    }

    /// <summary>
    /// Reads the plan again and writes each run of rows that differ from <paramref name="befores"/>, a few partitions
    /// at once; the entities whose rows read back differ from what was written, or null when none do. Progress counts
    /// the plan's rows, those already as the plan has them with the rest. A large document's import collects after each
    /// run (<paramref name="collectAfterEachRun"/>, <see cref="ImportAdmission.CollectAfterLargeStep"/>).
    /// </summary>
    public async Task<ImportEntityList?> WriteAndVerifyAsync(
        ImportRecord record, Befores befores, JobProgress<ImportRecord> progress, bool collectAfterEachRun, CancellationToken cancellationToken)
    {
        await using var plan = await plans.OpenAsync(record.Project, record.Id, cancellationToken).ConfigureAwait(false)
            ?? throw new StoredDataException($"The plan of import {record.Id} was read moments ago and is gone.");
        var differing = new List<ProjectRow>();
        long done = 0;
        await progress.ReportAsync(new ProcessingProgress(ImportApplier.Applying, 0, befores.PlanRows), cancellationToken).ConfigureAwait(false);
        await using (var rowWrites = projects.BeginRowWrites(record.Project, befores.Listings, async (written, stored, token) =>
        {
            lock (differing)
            {
                foreach (var row in written.Where(r => !ImportRowContent.Matches(record.Project, r.Key, stored[r.RowKey], r.Json)))
                {
                    differing.Add(new ProjectRow(row.PartitionKey, row.RowKey, row.Json ?? stored[row.RowKey] ?? befores.Rows.GetValueOrDefault(row.Key)));
                }
            }
            if (collectAfterEachRun) ImportAdmission.CollectAfterLargeStep();
            await progress.ReportAsync(new ProcessingProgress(ImportApplier.Applying, Interlocked.Add(ref done, written.Count), befores.PlanRows), token).ConfigureAwait(false);
        }))
        {
            await foreach (var run in plan.ReadRunsAsync(keysOnly: false, cancellationToken).ConfigureAwait(false))
            {
                var changing = Changing(run.Rows, befores.Rows);
                Interlocked.Add(ref done, run.Rows.Count - changing.Count);
                if (changing.Count > 0) await rowWrites.WriteAsync(run.PartitionKey, changing, cancellationToken).ConfigureAwait(false);
            }
            await rowWrites.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }
        if (differing.Count == 0) return null;
        // Rare (another writer raced the import): the whole snapshot names the entities.
        var snapshot = await snapshots.LoadAsync(record.Project, record.Id, cancellationToken).ConfigureAwait(false)
            ?? throw new StoredDataException($"The snapshot of import {record.Id} was stored moments ago and is gone.");
        return await writes.DescribeAsync(record.Project, differing, snapshot, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The run's rows to write: a key given twice keeps its last, and a row already as it would be written is left out, as <see cref="ImportSnapshot.Of"/> leaves it out.</summary>
    private static List<ProjectRow> Changing(List<ProjectRow> run, IReadOnlyDictionary<ProjectRowKey, byte[]> befores)
    {
        var last = new Dictionary<string, ProjectRow>(run.Count, StringComparer.Ordinal);
        foreach (var row in run) last[row.RowKey] = row;
        return last.Values.Where(r => !ImportSnapshot.Same(befores.Count == 0 ? null : befores.GetValueOrDefault(r.Key), r.Json)).ToList();
    }
}
