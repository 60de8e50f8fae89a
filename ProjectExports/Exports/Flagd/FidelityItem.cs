namespace ProjectExports.Exports.Flagd;

/// <summary>
/// Something of the project that a flagd file cannot say as the project means it: where it is in the file
/// (a JSON Pointer) and what was written instead.
/// </summary>
public sealed record FidelityItem(string Path, string Reason)
{
    /// <summary>A JSON Pointer (RFC 6901) to a property of the flagd file.</summary>
    internal static string Pointer(params string[] tokens) =>
        string.Concat(tokens.Select(t => "/" + t.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal)));
}
