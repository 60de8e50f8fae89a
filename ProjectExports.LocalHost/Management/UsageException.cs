namespace ProjectExports.LocalHost.Management;

/// <summary>A command refused for what it was given (a mistake the parser cannot see, such as a project that does not exist): exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);
