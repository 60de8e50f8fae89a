namespace ProjectExports.Storage;

/// <summary>
/// Data that Table Storage cannot hold as given (an over-long key, a forbidden key character, an entity over
/// the size limit). Thrown before anything is written, so the caller can fix the data and retry.
/// </summary>
public sealed class StorageLimitException(string message) : Exception(message);
