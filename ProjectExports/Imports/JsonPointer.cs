namespace ProjectExports.Imports;

/// <summary>
/// JSON Pointer building (RFC 6901): '~' becomes "~0" and '/' becomes "~1". A name longer than
/// <see cref="MaxNameLength"/> is cut (see <see cref="Echo"/>), so one long property name cannot crowd out the rest of a path.
/// </summary>
public static class JsonPointer
{
    public const int MaxNameLength = 100;

    public static string Append(string path, string name) =>
        $"{path}/{Echo.Cut(name, MaxNameLength).Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal)}";

    public static string Append(string path, int index) => $"{path}/{index}";
}
