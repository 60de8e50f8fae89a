using ProjectExports.Jobs;
using ProjectExports.Projects;
using ProjectExports.Storage;

namespace ProjectExports.Imports;

/// <summary>
/// Writes what a snapshot says an import (or revert) writes, then checks it back: an import is done when storage holds
/// what it wrote, not when the writes returned (a page still at the ETag its write answered holds what was written;
/// rows on pages changed since are read). Both halves work by key, so a redelivery repeats them safely.
/// </summary>
public sealed class ImportWrites(ProjectStore projects, ImportSnapshotStore snapshots)
{
    /// <summary>The progress phase of reading back what was written.</summary>
    public const string Verifying = "verifying";

    /// <summary>
    /// A revert's snapshot: <paramref name="writes"/> over the rows as they are now (<paramref name="current"/>), stored
    /// before anything is written; or the one an earlier delivery stored first, which stays the truth (after a partial
    /// run the rows no longer show what was there before). Storing is the check, so a first delivery makes no read for it.
    /// An import's is taken as its plan downloads (<see cref="ImportPlanWrites"/>).
    /// </summary>
    public Task<ImportSnapshot> SnapshotAsync(
        ImportRecord record, IReadOnlyCollection<ProjectRow> writes, IReadOnlyDictionary<ProjectRowKey, byte[]> current, CancellationToken cancellationToken) =>
        snapshots.SaveOnceAsync(record.Project, record.Id, ImportSnapshot.Of(writes, current), cancellationToken);

    /// <summary>
    /// Writes the snapshot's rows and checks them back (<see cref="ProjectStore.ReadWrittenRowsAsync"/>); the entities
    /// whose rows differ from what was written, or null when none do. <paramref name="listings"/>, from reading the
    /// rows for the snapshot, spare each partition's first write a listing of its pages.
    /// </summary>
    public async Task<ImportEntityList?> WriteAndVerifyAsync(
        string projectId, ImportSnapshot snapshot, IReadOnlyDictionary<string, PageListing>? listings, JobProgress<ImportRecord> progress, CancellationToken cancellationToken)
    {
        var rows = snapshot.Writes();
        var receipts = await projects.WriteRowsAsync(projectId, rows, listings,
            (done, total, ct) => progress.ReportAsync(new ProcessingProgress(ImportApplier.Applying, done, total), ct), cancellationToken).ConfigureAwait(false);
        await progress.ReportAsync(new ProcessingProgress(Verifying, 0, null), cancellationToken).ConfigureAwait(false);
        var stored = await projects.ReadWrittenRowsAsync(rows, receipts, cancellationToken).ConfigureAwait(false);
        var differing = snapshot.Rows
            .Where(r => !ImportRowContent.Matches(projectId, r.Key, stored[r.Key], r.After))
            .Select(r => new ProjectRow(r.Partition, r.Row, r.After ?? stored[r.Key] ?? r.Before))
            .ToList();
        return differing.Count == 0 ? null : await DescribeAsync(projectId, differing, snapshot, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ImportEntityList> DescribeAsync(string projectId, IReadOnlyList<ProjectRow> rows, ImportSnapshot snapshot, CancellationToken cancellationToken) =>
        ImportEntityList.Of(await projects.DescribeAsync(projectId, rows.Take(ImportEntityList.MaxEntities), snapshot.Versions(), cancellationToken).ConfigureAwait(false)) with { Total = rows.Count };
}
