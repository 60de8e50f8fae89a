using System.IO.Compression;
using System.Text;
using System.Text.Json;
using ProjectExports.Projects;
using static ProjectExports.Imports.ImportPlanFormat;

namespace ProjectExports.Imports;

/// <summary>
/// Writes a plan's stored form (<see cref="ImportPlanFormat"/>) as the plan is made: each environment's rows as soon as
/// they are planned (<see cref="Write"/>), then the header and the project's own rows, which come first but are known
/// last (<see cref="Complete"/>). The two parts are gzip members of their own, concatenated, which decompress as one
/// stream: so the rows are compressed once, as they are built, and never all held uncompressed.
/// </summary>
public sealed class ImportPlanWriter : IDisposable
{
    private readonly MemoryStream _later = new();
    private readonly BinaryWriter _laterRows;
    private string? _partition;

    public ImportPlanWriter() => _laterRows = Open(_later);

    /// <summary>
    /// Appends rows, building each (and checking it against the storage limits) as it is written.
    /// Exceptions of what the rows enumerate (<see cref="Storage.StorageLimitException"/>) go to the caller.
    /// </summary>
    public void Write(IEnumerable<ProjectRow> rows) => WriteRows(_laterRows, rows, ref _partition);

    /// <summary>The plan as stored: its header, <paramref name="firstRows"/>, then every row written before.</summary>
    /// <param name="firstRows">The rows that go before the written ones: the project's own partition, whose environment settings are known only once every environment is planned.</param>
    public BinaryData Complete(ImportPlan plan, IEnumerable<ProjectRow> firstRows)
    {
        _laterRows.Write(End);
        _laterRows.Dispose();
        using var first = new MemoryStream();
        using (var writer = Open(first))
        {
            var header = JsonSerializer.SerializeToUtf8Bytes(plan, ImportPlanJsonContext.Default.ImportPlan);
            writer.Write(Mark);
            writer.Write(header.Length);
            writer.Write(header);
            string? partition = null;
            WriteRows(writer, firstRows, ref partition);
        }
        var stored = new byte[first.Length + _later.Length];
        first.GetBuffer().AsSpan(0, (int)first.Length).CopyTo(stored);
        _later.GetBuffer().AsSpan(0, (int)_later.Length).CopyTo(stored.AsSpan((int)first.Length));
        return new BinaryData(stored);
    }

    public void Dispose()
    {
        _laterRows.Dispose();
        _later.Dispose();
    }

    private static BinaryWriter Open(Stream compressed) =>
        new(new BufferedStream(new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true), 32 * 1024), Encoding.UTF8);

    /// <summary>Writes rows, each partition key only where it changes from the one before (<paramref name="partition"/>, then the last row's).</summary>
    private static void WriteRows(BinaryWriter writer, IEnumerable<ProjectRow> rows, ref string? partition)
    {
        foreach (var row in rows)
        {
            if (row.PartitionKey == partition)
            {
                writer.Write(SamePartition);
            }
            else
            {
                writer.Write(NewPartition);
                writer.Write(partition = row.PartitionKey);
            }
            writer.Write(row.RowKey);
            writer.Write(row.Json?.Length ?? Deleted);
            if (row.Json is not null) writer.Write(row.Json);
        }
    }
}
