namespace ProjectExports.Benchmarks;

/// <summary>Order statistics of measured samples.</summary>
public static class Statistics
{
    /// <summary>The middle value; the mean of the two middle values for an even count.</summary>
    public static double Median(IReadOnlyCollection<double> samples)
    {
        var sorted = Sorted(samples);
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /// <summary>
    /// The nearest-rank percentile: the smallest sample with at least <paramref name="percent"/>% of samples at or
    /// below it, so p99 of 100 samples is the 99th smallest and never an interpolated value nobody measured.
    /// </summary>
    public static double Percentile(IReadOnlyCollection<double> samples, double percent)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(percent, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percent, 100);
        var sorted = Sorted(samples);
        var rank = (int)Math.Ceiling(percent / 100 * sorted.Length);
        return sorted[rank - 1];
    }

    private static double[] Sorted(IReadOnlyCollection<double> samples)
    {
        if (samples.Count == 0)
        {
            throw new ArgumentException("No samples.", nameof(samples));
        }
        var sorted = samples.ToArray();
        Array.Sort(sorted);
        return sorted;
    }
}
