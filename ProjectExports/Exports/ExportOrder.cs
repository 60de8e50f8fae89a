namespace ProjectExports.Exports;

/// <summary>
/// The order of every array in an export: by Unicode code point, which is also the byte order of UTF-8 and
/// therefore the order in which Table Storage lists hex-encoded keys. Ordinal UTF-16 comparison differs from it
/// only where a character above U+FFFF meets one in U+E000–U+FFFF.
/// </summary>
public sealed class ExportOrder : IComparer<string>
{
    public static readonly ExportOrder Instance = new();

    public int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y)) return 0;
        if (x is null) return -1;
        if (y is null) return 1;
        var length = Math.Min(x.Length, y.Length);
        for (var i = 0; i < length; i++)
        {
            char a = x[i], b = y[i];
            if (a == b) continue;
            bool surrogateA = char.IsSurrogate(a), surrogateB = char.IsSurrogate(b);
            // A surrogate encodes a code point above every BMP character.
            return surrogateA == surrogateB ? a.CompareTo(b) : surrogateA ? 1 : -1;
        }
        return x.Length.CompareTo(y.Length);
    }
}
