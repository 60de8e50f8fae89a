using System.Text.Json;

namespace ProjectExports.Tests.FunctionsHost;

/// <summary>The settings of host.json that the Functions host applies to the worker's functions.</summary>
internal sealed record HostJson(
    string RoutePrefix,
    TimeSpan FunctionTimeout,
    int MaxDequeueCount,
    TimeSpan VisibilityTimeout,
    TimeSpan MaxPollingInterval,
    int BatchSize,
    int NewBatchThreshold,
    string MessageEncoding,
    JsonElement LogLevels)
{
    public static HostJson Read(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var root = document.RootElement;
        var extensions = root.GetProperty("extensions");
        var queues = extensions.GetProperty("queues");
        return new HostJson(
            extensions.GetProperty("http").GetProperty("routePrefix").GetString()!,
            TimeSpan.Parse(root.GetProperty("functionTimeout").GetString()!, System.Globalization.CultureInfo.InvariantCulture),
            queues.GetProperty("maxDequeueCount").GetInt32(),
            TimeSpan.Parse(queues.GetProperty("visibilityTimeout").GetString()!, System.Globalization.CultureInfo.InvariantCulture),
            TimeSpan.Parse(queues.GetProperty("maxPollingInterval").GetString()!, System.Globalization.CultureInfo.InvariantCulture),
            queues.GetProperty("batchSize").GetInt32(),
            queues.GetProperty("newBatchThreshold").GetInt32(),
            queues.GetProperty("messageEncoding").GetString()!,
            root.GetProperty("logging").GetProperty("logLevel").Clone());
    }
}
