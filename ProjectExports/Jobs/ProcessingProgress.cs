namespace ProjectExports.Jobs;

/// <summary>
/// Where a PROCESSING job is: its phase (named by its kind) and how many of its units are done, with the total once
/// it is known. Records carry it only while PROCESSING.
/// </summary>
public sealed record ProcessingProgress(string Phase, long Done, long? Total);
