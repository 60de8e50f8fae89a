namespace ProjectExports.Imports;

/// <summary>
/// One problem or warning about an import document; <c>path</c> is a JSON Pointer (RFC 6901) into it. Message and
/// path are cut at <see cref="MaxEchoLength"/> characters (ending in <see cref="Echo.Marker"/>), so an issue never
/// echoes a long name or value back in full: with the cap on the number of issues, a response stays bounded
/// whatever the document holds.
/// </summary>
public sealed record ImportIssue
{
    public const int MaxEchoLength = 500;

    public ImportIssue(string code, string message, string path)
    {
        Code = code;
        Message = Echo.Cut(message, MaxEchoLength);
        Path = Echo.Cut(path, MaxEchoLength);
    }

    public string Code { get; }

    public string Message { get; }

    public string Path { get; }
}
