using ProjectExports.Projects;

namespace ProjectExports.Imports;

/// <summary>
/// Everything one import (or revert) changes, row by row, as it was before the first write and as written: taken
/// once and stored (<see cref="ImportSnapshotStore"/>), so a redelivery writes the same rows, verification knows what
/// must be there, and a revert knows what to put back and what the import left (to detect later changes).
/// </summary>
public sealed class ImportSnapshot
{
    public List<ImportSnapshotRow> Rows { get; set; } = [];

    /// <summary>
    /// An import's snapshot: what it writes is its stored plan's rows, so the stored snapshot keeps only the rows that
    /// were there before, and <see cref="ImportSnapshotStore"/> makes the whole again from the plan when it loads it.
    /// </summary>
    public bool AfterInPlan { get; set; }

    /// <summary>
    /// The snapshot of writing <paramref name="writes"/> over <paramref name="current"/>: a key written twice keeps its
    /// last write (as applying them in order would), and a row already as it would be written is left out, so it is
    /// neither written nor later reverted.
    /// </summary>
    public static ImportSnapshot Of(IEnumerable<ProjectRow> writes, IReadOnlyDictionary<ProjectRowKey, byte[]> current)
    {
        // Sized at once: an import's plan has tens of thousands of rows, and each resize rehashes them all.
        var last = new Dictionary<ProjectRowKey, ProjectRow>(writes is IReadOnlyCollection<ProjectRow> known ? known.Count : 0);
        foreach (var write in writes) last[write.Key] = write;
        var rows = new List<ImportSnapshotRow>(last.Count);
        foreach (var write in last.Values)
        {
            var before = current.Count == 0 ? null : current.GetValueOrDefault(write.Key);
            if (!Same(before, write.Json)) rows.Add(new ImportSnapshotRow { Partition = write.PartitionKey, Row = write.RowKey, Before = before, After = write.Json });
        }
        return new ImportSnapshot { Rows = rows };
    }

    public IEnumerable<ProjectRowKey> Keys => Rows.Select(r => r.Key);

    /// <summary>The rows as written, to write (again).</summary>
    public List<ProjectRow> Writes() => Rows.Select(r => new ProjectRow(r.Partition, r.Row, r.After)).ToList();

    /// <summary>Every version of every row it knows (before and after), to name entities that exist in neither the project nor the answer.</summary>
    public IEnumerable<ProjectRow> Versions() =>
        Rows.SelectMany(r => new[] { new ProjectRow(r.Partition, r.Row, r.After), new ProjectRow(r.Partition, r.Row, r.Before) });

    public static bool Same(byte[]? a, byte[]? b) => a is null ? b is null : b is not null && a.AsSpan().SequenceEqual(b);
}
