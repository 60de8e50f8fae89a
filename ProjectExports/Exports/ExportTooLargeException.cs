namespace ProjectExports.Exports;

/// <summary>The document being written passed the configured size limit; the upload stops there.</summary>
public sealed class ExportTooLargeException(long limitBytes)
    : Exception($"The export is larger than the limit of {limitBytes:N0} bytes.")
{
    public long LimitBytes { get; } = limitBytes;
}
