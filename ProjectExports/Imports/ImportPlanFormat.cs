using System.IO.Compression;
using System.Text;
using System.Text.Json;
using ProjectExports.Projects;
using ProjectExports.Storage;

namespace ProjectExports.Imports;

/// <summary>
/// How a plan is stored: a mark, its header (summary, warnings, id, scope) as JSON, then its rows in binary (each
/// row's key, its partition key only where it changes, and its JSON as stored), gzip-compressed (written by
/// <see cref="ImportPlanWriter"/>). Loading a large plan (tens of thousands of rows) then copies bytes: no base64 to
/// decode and no JSON to parse per row.
/// </summary>
public static class ImportPlanFormat
{
    internal const byte End = 0, SamePartition = 1, NewPartition = 2;
    internal const int Deleted = -1;

    /// <summary>A header holds a summary and warnings (one per entity at most); a length past this is not a plan's.</summary>
    private const int MaxHeaderBytes = 256 * 1024 * 1024;

    /// <summary>What a stored plan starts with; another version of the format would change it.</summary>
    internal static ReadOnlySpan<byte> Mark => "PXPLAN2\n"u8;

    /// <summary>The plan stored by <see cref="ImportPlanWriter"/>, read from its decompressed bytes as they arrive; its rows in a list.</summary>
    /// <exception cref="StoredDataException">The bytes are not a whole stored plan.</exception>
    public static async Task<ImportPlan> ReadAsync(Stream stored, string name, CancellationToken cancellationToken)
    {
        await using var runs = await OpenAsync(stored, name, cancellationToken).ConfigureAwait(false);
        var rows = new List<ProjectRow>();
        await foreach (var run in runs.ReadRunsAsync(keysOnly: false, cancellationToken).ConfigureAwait(false)) rows.AddRange(run.Rows);
        runs.Plan.Rows = rows;
        return runs.Plan;
    }

    /// <summary>
    /// The plan stored by <see cref="ImportPlanWriter"/> with its header read (<see cref="ImportPlanRuns.Plan"/>) and its rows
    /// left to read partition by partition as they arrive (<see cref="ImportPlanRuns.ReadRunsAsync"/>); it owns <paramref name="stored"/>.
    /// </summary>
    /// <inheritdoc cref="ReadAsync(Stream, string, CancellationToken)"/>
    public static async Task<ImportPlanRuns> OpenAsync(Stream stored, string name, CancellationToken cancellationToken)
    {
        var reader = new ImportPlanReader(stored);
        try
        {
            if (!(await reader.ReadSpanAsync(Mark.Length, cancellationToken).ConfigureAwait(false)).Span.SequenceEqual(Mark))
            {
                throw new StoredDataException($"The stored import plan {name} is not a plan of this version of the service.");
            }
            var headerLength = await reader.ReadInt32Async(cancellationToken).ConfigureAwait(false);
            var plan = JsonSerializer.Deserialize(await reader.ReadBytesAsync(Checked(headerLength, MaxHeaderBytes), cancellationToken).ConfigureAwait(false), ImportPlanJsonContext.Default.ImportPlan)
                ?? throw new StoredDataException($"The stored import plan {name} holds null.");
            return new ImportPlanRuns(stored, reader, name, plan);
        }
        catch (Exception e)
        {
            reader.Dispose();
            await stored.DisposeAsync().ConfigureAwait(false);
            if (IsUnreadable(e)) throw Unreadable(name, e);
            throw;
        }
    }

    /// <summary>
    /// The next row, or null at the plan's end; <paramref name="partition"/> is the previous row's partition, and the
    /// row's JSON is skipped (left null) when only its key is wanted.
    /// </summary>
    internal static async ValueTask<ProjectRow?> ReadRowAsync(ImportPlanReader reader, string name, string? partition, bool keyOnly, long rowsBefore, CancellationToken cancellationToken)
    {
        try
        {
            var kind = await reader.ReadByteAsync(cancellationToken).ConfigureAwait(false);
            if (kind == End) return null;
            var rowPartition = kind switch
            {
                SamePartition when partition is not null => partition,
                NewPartition => await reader.ReadStringAsync(cancellationToken).ConfigureAwait(false),
                _ => throw new StoredDataException($"The stored import plan {name} has an unreadable row after {rowsBefore:N0} rows."),
            };
            var rowKey = await reader.ReadStringAsync(cancellationToken).ConfigureAwait(false);
            var length = await reader.ReadInt32Async(cancellationToken).ConfigureAwait(false);
            if (length == Deleted) return new ProjectRow(rowPartition, rowKey, null);
            if (!keyOnly) return new ProjectRow(rowPartition, rowKey, await reader.ReadBytesAsync(Checked(length, JsonEntityCodec.MaxBytes), cancellationToken).ConfigureAwait(false));
            await reader.SkipAsync(Checked(length, JsonEntityCodec.MaxBytes), cancellationToken).ConfigureAwait(false);
            return new ProjectRow(rowPartition, rowKey, null);
        }
        catch (Exception e) when (IsUnreadable(e))
        {
            throw Unreadable(name, e);
        }
    }

    /// <summary>InvalidDataException: a blob said to be gzip that is not; the others, bytes cut short or not written by <see cref="ImportPlanWriter"/>.</summary>
    private static bool IsUnreadable(Exception e) =>
        e is EndOfStreamException or InvalidDataException or JsonException or ArgumentOutOfRangeException or DecoderFallbackException;

    private static StoredDataException Unreadable(string name, Exception e) =>
        new($"The stored import plan {name} is not a readable import plan: {e.Message}", e);

    /// <summary>A length read back, before anything that large is allocated for it.</summary>
    private static int Checked(int length, int max) =>
        length is >= 0 && length <= max ? length : throw new InvalidDataException($"A length of {length:N0} bytes is outside 0 to {max:N0}.");
}
