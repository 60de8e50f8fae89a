using System.Text.Json;
using ProjectExports.Tests.FunctionsHost.Rpc;

namespace ProjectExports.Tests.FunctionsHost;

/// <summary>A function as the worker indexed it: its metadata and the trigger binding read from its raw bindings.</summary>
internal sealed record LoadedFunction(string Id, RpcFunctionMetadata Metadata, JsonElement Trigger)
{
    public string Name => Metadata.Name;
    public string TriggerType => Trigger.GetProperty("type").GetString()!;
    public string TriggerName => Trigger.GetProperty("name").GetString()!;

    public string? Property(string name) =>
        Trigger.EnumerateObject().FirstOrDefault(p => p.NameEquals(name)) is { Value.ValueKind: JsonValueKind.String } p ? p.Value.GetString() : null;

    public IReadOnlyList<string> Methods =>
        Trigger.TryGetProperty("methods", out var methods) ? [.. methods.EnumerateArray().Select(m => m.GetString()!.ToUpperInvariant())] : [];

    public static LoadedFunction From(RpcFunctionMetadata metadata)
    {
        var bindings = metadata.RawBindings.Select(raw => JsonDocument.Parse(raw).RootElement.Clone()).ToList();
        var trigger = bindings.Single(b => b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal));
        return new LoadedFunction(metadata.FunctionId is { Length: > 0 } id ? id : Guid.NewGuid().ToString(), metadata, trigger);
    }

    /// <summary>The load request's metadata: what the host derives from the indexed function for the worker to load it.</summary>
    public RpcFunctionMetadata ToLoadMetadata(string appDirectory)
    {
        var load = Metadata.Clone();
        load.FunctionId = Id;
        load.Directory = appDirectory;
        load.ScriptFile = Path.Combine(appDirectory, Metadata.ScriptFile);
        if (load.Bindings.Count == 0)
        {
            foreach (var raw in Metadata.RawBindings)
            {
                var binding = JsonDocument.Parse(raw).RootElement;
                var info = new BindingInfo
                {
                    Type = binding.GetProperty("type").GetString()!,
                    Direction = string.Equals(binding.GetProperty("direction").GetString(), "In", StringComparison.OrdinalIgnoreCase)
                        ? BindingInfo.Types.Direction.In
                        : BindingInfo.Types.Direction.Out,
                };
                if (binding.TryGetProperty("properties", out var properties))
                {
                    foreach (var property in properties.EnumerateObject())
                    {
                        info.Properties[property.Name] = property.Value.ToString();
                    }
                }
                load.Bindings[binding.GetProperty("name").GetString()!] = info;
            }
        }
        return load;
    }
}
