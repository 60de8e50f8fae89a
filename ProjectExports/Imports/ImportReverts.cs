using ProjectExports.Http;
using ProjectExports.Jobs;
using ProjectExports.Projects;
using ProjectExports.Security;
using ProjectExports.Storage;

namespace ProjectExports.Imports;

/// <summary>
/// Takes an import back: a revert is an import (its own record, audit entries, queue message, snapshot) whose rows
/// come from the reverted import's snapshot, each put back as it was before. It goes ahead only where every row is
/// still as the import left it (or already back as it was); otherwise nothing is written, unless forced.
/// </summary>
public sealed class ImportReverts(
    JobRequests<ImportRecord> jobs, ImportSnapshotStore snapshots, ImportWrites writes, ProjectStore projects, TimeProvider time)
{
    /// <summary>What a revert of an import would meet now: nothing to revert, the entities changed since, or none (go ahead).</summary>
    public sealed record Check(bool NothingToRevert, ImportEntityList? Conflicts);

    public async Task<Check> CheckAsync(ImportRecord reverted, CancellationToken cancellationToken)
    {
        if (await snapshots.LoadAsync(reverted.Project, reverted.Id, cancellationToken).ConfigureAwait(false) is not { Rows.Count: > 0 } snapshot)
        {
            return new Check(true, null);
        }
        var current = await projects.ReadRowsAsync(snapshot.Keys, cancellationToken).ConfigureAwait(false);
        return new Check(false, await ConflictsAsync(reverted.Project, snapshot, current, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Records, audits and queues the revert of <paramref name="reverted"/> (checked with <see cref="CheckAsync"/>).</summary>
    public async Task<ImportRecord> RequestAsync(ImportRecord reverted, bool force, Caller caller, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var record = new ImportRecord
        {
            Id = NewestFirstIds.New(now),
            Project = reverted.Project,
            Strategy = reverted.Strategy,
            SizeBytes = reverted.SizeBytes,
            Reverts = reverted.Id,
            Force = force,
            CreatedAt = now,
            CreatedBy = caller.UserId,
            CreatedByApiKey = caller.ApiKeyId,
        };
        await jobs.SubmitAsync(record, null, cancellationToken).ConfigureAwait(false);
        return record;
    }

    /// <summary>
    /// The revert's step. Its first delivery checks again (something may have changed since the 202), then stores its
    /// own snapshot (the rows now, and the reverted import's "before" as what it writes); a later delivery finds that
    /// snapshot and only writes it again, so a crash mid-revert ends as if it had not happened.
    /// </summary>
    public async Task<ImportRecord> ApplyAsync(ImportRecord revert, JobProgress<ImportRecord> progress, CancellationToken cancellationToken)
    {
        var reverted = await snapshots.LoadAsync(revert.Project, revert.Reverts!, cancellationToken).ConfigureAwait(false);
        if (reverted is null)
        {
            return revert.Failed(ImportErrors.NothingToRevert, $"Import {revert.Reverts} has no snapshot (it expired, or wrote nothing); nothing was written.", time.GetUtcNow());
        }
        var own = await snapshots.LoadAsync(revert.Project, revert.Id, cancellationToken).ConfigureAwait(false);
        if (own is null)
        {
            var current = await projects.ReadRowsAsync(reverted.Keys, cancellationToken).ConfigureAwait(false);
            if (!revert.Force && await ConflictsAsync(revert.Project, reverted, current, cancellationToken).ConfigureAwait(false) is { } conflicts)
            {
                return revert.Failed(ImportErrors.RevertConflict, ConflictMessage(revert.Reverts!, conflicts), time.GetUtcNow()) with { Differences = conflicts };
            }
            var back = reverted.Rows.Select(r => new ProjectRow(r.Partition, r.Row, r.Before)).ToList();
            own = await writes.SnapshotAsync(revert, back, current, cancellationToken).ConfigureAwait(false);
        }

        var differences = await writes.WriteAndVerifyAsync(revert.Project, own, null, progress, cancellationToken).ConfigureAwait(false);
        var overwritten = revert.Force ? await OverwrittenAsync(revert.Project, reverted, own, cancellationToken).ConfigureAwait(false) : null;
        var now = time.GetUtcNow();
        return differences is null
            ? revert.Reverted(RevertSummary.Of(revert.Project, own), now) with { Overwritten = overwritten }
            : revert.Failed(ImportErrors.Incomplete, IncompleteMessage(differences), now) with { Differences = differences, Overwritten = overwritten };
    }

    public static string ConflictMessage(string importId, ImportEntityList conflicts) =>
        $"{conflicts.Total} entit{(conflicts.Total == 1 ? "y" : "ies")} changed since import {importId} wrote them; nothing was written. " +
        "Revert with ?force=true to put them back anyway.";

    public static string IncompleteMessage(ImportEntityList differences) =>
        $"{differences.Total} entit{(differences.Total == 1 ? "y" : "ies")} read back differ from what was written (see 'differences'); " +
        "another change may have raced this one. The snapshot is kept: the import can be reverted.";

    /// <summary>Rows neither as the import left them nor as they were before it: reverting would overwrite someone's change. Null when none.</summary>
    private async Task<ImportEntityList?> ConflictsAsync(
        string projectId, ImportSnapshot snapshot, Dictionary<ProjectRowKey, byte[]> current, CancellationToken cancellationToken)
    {
        var changed = snapshot.Rows
            .Where(r => !ImportSnapshot.Same(current.GetValueOrDefault(r.Key), r.After) && !ImportSnapshot.Same(current.GetValueOrDefault(r.Key), r.Before))
            .Select(r => new ProjectRow(r.Partition, r.Row, current.GetValueOrDefault(r.Key) ?? r.After ?? r.Before))
            .ToList();
        return changed.Count == 0 ? null : await writes.DescribeAsync(projectId, changed, snapshot, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>What a forced revert replaced that was not as the import left it: its own "before" differs from the import's "after".</summary>
    private async Task<ImportEntityList> OverwrittenAsync(string projectId, ImportSnapshot reverted, ImportSnapshot own, CancellationToken cancellationToken)
    {
        var left = reverted.Rows.ToDictionary(r => r.Key, r => r.After);
        var overwritten = own.Rows
            .Where(r => !ImportSnapshot.Same(r.Before, left.GetValueOrDefault(r.Key)))
            .Select(r => new ProjectRow(r.Partition, r.Row, r.Before ?? r.After))
            .ToList();
        return await writes.DescribeAsync(projectId, overwritten, own, cancellationToken).ConfigureAwait(false);
    }
}
