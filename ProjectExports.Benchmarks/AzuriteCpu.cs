using System.Globalization;

namespace ProjectExports.Benchmarks;

/// <summary>
/// CPU time used by the Azurite process (scripts/bench passes its pid in AZURITE_PID), read from /proc: Azurite
/// serves every request on one thread, so near 100% of one core it is the bottleneck and latency measures its queue.
/// </summary>
public static class AzuriteCpu
{
    /// <returns>Seconds of CPU used so far, or null when unknown (no pid, or not Linux).</returns>
    public static double? Seconds()
    {
        var pid = Environment.GetEnvironmentVariable("AZURITE_PID");
        var stat = $"/proc/{pid}/stat";
        if (string.IsNullOrEmpty(pid) || !File.Exists(stat))
        {
            return null;
        }
        // Fields 14 and 15 (utime, stime), counted after the parenthesised command name, in USER_HZ ticks (100 on Linux).
        var text = File.ReadAllText(stat);
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }
}
