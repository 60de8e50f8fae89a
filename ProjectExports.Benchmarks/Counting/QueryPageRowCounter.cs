namespace ProjectExports.Benchmarks.Counting;

/// <summary>
/// Counts the entities of a table query's response body (<c>{"odata.metadata":…,"value":[{…},{…}]}</c>) as its bytes
/// go by, in pieces of any size, keeping nothing: an entity is an object directly inside the top object's array.
/// Table entities are flat, and a UTF-8 byte of a multi-byte character never equals an ASCII one, so tracking
/// strings, escapes and nesting depth byte by byte is exact.
/// </summary>
public sealed class QueryPageRowCounter
{
    private int _depth;
    private bool _inArray;
    private bool _inString;
    private bool _escaped;

    public long Rows { get; private set; }

    public void Add(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            if (_inString)
            {
                if (_escaped) _escaped = false;
                else if (b == (byte)'\\') _escaped = true;
                else if (b == (byte)'"') _inString = false;
                continue;
            }
            switch (b)
            {
                case (byte)'"':
                    _inString = true;
                    break;
                case (byte)'{' or (byte)'[':
                    if (_depth == 1) _inArray = b == (byte)'[';
                    else if (_depth == 2 && _inArray && b == (byte)'{') Rows++;
                    _depth++;
                    break;
                case (byte)'}' or (byte)']':
                    _depth--;
                    break;
            }
        }
    }
}
