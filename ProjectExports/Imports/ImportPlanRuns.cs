using System.Runtime.CompilerServices;
using ProjectExports.Projects;

namespace ProjectExports.Imports;

/// <summary>Consecutive rows of a plan in one partition (a whole run: the next row is in another partition, or there is none).</summary>
public sealed record ImportPlanRun(string PartitionKey, List<ProjectRow> Rows);

/// <summary>
/// A stored plan being read (<see cref="ImportPlanFormat.OpenAsync"/>): its header, then its rows a partition's run at a
/// time as they download, so a caller that works partition by partition never holds them all. It owns the stream.
/// </summary>
public sealed class ImportPlanRuns : IAsyncDisposable
{
    private readonly Stream _stored;
    private readonly ImportPlanReader _reader;
    private readonly string _name;

    internal ImportPlanRuns(Stream stored, ImportPlanReader reader, string name, ImportPlan plan)
    {
        (_stored, _reader, _name) = (stored, reader, name);
        Plan = plan;
    }

    /// <summary>The plan's header: its id, summary, warnings, scope and state hash; its rows come from <see cref="ReadRunsAsync"/>.</summary>
    public ImportPlan Plan { get; }

    /// <summary>
    /// The rows in their runs, in order. A partition may come again in a later run (a plan stored by an earlier version
    /// placed deletes last). With <paramref name="keysOnly"/> the rows' JSON is read past, not kept: every row's is null.
    /// </summary>
    /// <exception cref="Storage.StoredDataException">The rows are not those of a whole stored plan.</exception>
    public async IAsyncEnumerable<ImportPlanRun> ReadRunsAsync(bool keysOnly, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        long rowsBefore = 0;
        List<ProjectRow>? run = null;
        for (var row = await NextAsync(null, keysOnly, 0, cancellationToken).ConfigureAwait(false); row is not null;)
        {
            run ??= [];
            run.Add(row);
            var next = await NextAsync(row.PartitionKey, keysOnly, ++rowsBefore, cancellationToken).ConfigureAwait(false);
            if (next is null || next.PartitionKey != row.PartitionKey)
            {
                yield return new ImportPlanRun(row.PartitionKey, run);
                run = null;
            }
            row = next;
        }
    }

    private ValueTask<ProjectRow?> NextAsync(string? partition, bool keysOnly, long rowsBefore, CancellationToken cancellationToken) =>
        ImportPlanFormat.ReadRowAsync(_reader, _name, partition, keysOnly, rowsBefore, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        _reader.Dispose();
        await _stored.DisposeAsync().ConfigureAwait(false);
    }
}
