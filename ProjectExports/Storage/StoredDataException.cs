namespace ProjectExports.Storage;

/// <summary>
/// A stored row that cannot be decoded into its model (its JSON is broken or holds null). The data is at fault, not
/// the request that read it nor the storage service, so it is neither retried at once nor blamed on the caller.
/// </summary>
public sealed class StoredDataException(string message, Exception? inner = null) : Exception(message, inner);
