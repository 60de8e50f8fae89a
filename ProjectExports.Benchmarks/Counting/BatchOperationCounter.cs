using System.Text;

namespace ProjectExports.Benchmarks.Counting;

/// <summary>
/// Counts the operations of a transaction's body (<c>multipart/mixed</c>, one <c>application/http</c> part per
/// operation) that address one table, as the bytes go by in pieces of any size. An operation is a request line
/// (<c>PUT https://…/table(PartitionKey='…',RowKey='…') HTTP/1.1</c>, or <c>POST …/table HTTP/1.1</c> for an
/// insert); only the start of each line is kept, since entity bodies may be long lines but request lines are short.
/// </summary>
public sealed class BatchOperationCounter(string table)
{
    /// <summary>Longer than any request line: two keys of at most 1 KiB each, percent-escaped, and the account's address.</summary>
    private const int MaxRequestLine = 16 * 1024;

    private static readonly string[] Methods = ["POST ", "PUT ", "PATCH ", "MERGE ", "DELETE ", "GET "];

    private readonly byte[] _line = new byte[MaxRequestLine];
    private int _length;
    private bool _tooLong;

    public long Operations { get; private set; }

    public void Add(ReadOnlySpan<byte> bytes)
    {
        while (bytes.Length > 0)
        {
            var end = bytes.IndexOf((byte)'\n');
            var piece = end < 0 ? bytes : bytes[..end];
            if (!_tooLong && _length + piece.Length <= _line.Length)
            {
                piece.CopyTo(_line.AsSpan(_length));
                _length += piece.Length;
            }
            else
            {
                _tooLong = true;
            }
            if (end < 0)
            {
                return;
            }
            if (!_tooLong && IsOperation(_line.AsSpan(0, _length).TrimEnd((byte)'\r')))
            {
                Operations++;
            }
            _length = 0;
            _tooLong = false;
            bytes = bytes[(end + 1)..];
        }
    }

    private bool IsOperation(ReadOnlySpan<byte> line)
    {
        if (!line.EndsWith(" HTTP/1.1"u8) || line[0] is < (byte)'A' or > (byte)'Z')
        {
            return false;
        }
        var text = Encoding.ASCII.GetString(line[..^" HTTP/1.1".Length]);
        var method = Array.Find(Methods, m => text.StartsWith(m, StringComparison.Ordinal));
        if (method is null || !Uri.TryCreate(text[method.Length..], UriKind.Absolute, out var uri))
        {
            return false;
        }
        var segment = uri.AbsolutePath[(uri.AbsolutePath.LastIndexOf('/') + 1)..];
        return segment == table || segment.StartsWith(table + "(", StringComparison.Ordinal);
    }
}
