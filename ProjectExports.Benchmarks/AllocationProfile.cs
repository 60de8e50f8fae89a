using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using System.Globalization;

namespace ProjectExports.Benchmarks;

/// <summary>
/// What the process allocates, by type and heap (small or large object), from the runtime's own sampling: its
/// AllocationTick event fires about once per 100 KB allocated and names the type that crossed the mark. It is how
/// the table reads were found to dominate an export's allocations; run with <c>--profile 1</c>.
/// </summary>
public sealed class AllocationProfile : EventListener
{
    private const EventKeywords GcKeyword = (EventKeywords)0x1;

    private readonly ConcurrentDictionary<string, long> _bytes = new();
    private volatile bool _recording;

    public void Record(bool on) => _recording = on;

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(source, EventLevel.Verbose, GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (!_recording || e.EventName?.StartsWith("GCAllocationTick", StringComparison.Ordinal) != true || e.Payload is null || e.PayloadNames is null)
        {
            return;
        }
        var type = e.Payload[e.PayloadNames.IndexOf("TypeName")] as string ?? "?";
        var heap = Convert.ToInt32(e.Payload[e.PayloadNames.IndexOf("AllocationKind")], CultureInfo.InvariantCulture) == 1 ? "LOH" : "SOH";
        var amount = Convert.ToInt64(e.Payload[e.PayloadNames.IndexOf("AllocationAmount64")], CultureInfo.InvariantCulture);
        _bytes.AddOrUpdate($"{heap} {type}", amount, (_, total) => total + amount);
    }

    /// <summary>Prints the 20 largest entries and starts over.</summary>
    public void Print()
    {
        foreach (var (key, bytes) in _bytes.OrderByDescending(p => p.Value).Take(20))
        {
            Console.WriteLine($"  {bytes / 1048576.0,8:F1} MB  {key}");
        }
        _bytes.Clear();
    }
}
