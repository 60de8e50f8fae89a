namespace ProjectExports.Storage;

/// <summary>
/// Where a PROCESSING export or import is: its phase and how many of its units are done. Exports count environments
/// written (<c>writing</c>); imports count nothing while <c>planning</c> (no total yet) and then rows written
/// (<c>applying</c>). Records carry it only while PROCESSING.
/// </summary>
public sealed record ProcessingProgress(string Phase, long Done, long? Total)
{
    public const string Writing = "writing";
    public const string Planning = "planning";
    public const string Applying = "applying";
}
