using ProjectExports.Benchmarks;

namespace ProjectExports.Tests.Benchmarks;

/// <summary>The order statistics the benchmark reports (medians of runs, latency percentiles).</summary>
public sealed class StatisticsTests
{
    [Theory]
    [InlineData(new[] { 5.0 }, 5.0)]
    [InlineData(new[] { 9.0, 1.0, 5.0 }, 5.0)]
    [InlineData(new[] { 4.0, 1.0, 3.0, 2.0 }, 2.5)]
    public void Median_is_the_middle_sample_or_the_mean_of_the_two_middle_ones(double[] samples, double expected) =>
        Assert.Equal(expected, Statistics.Median(samples));

    [Fact]
    public void Percentiles_are_nearest_rank_so_they_are_always_measured_values()
    {
        var samples = Enumerable.Range(1, 100).Select(i => (double)(101 - i)).ToList(); // 100 down to 1

        Assert.Equal(50, Statistics.Percentile(samples, 50));
        Assert.Equal(99, Statistics.Percentile(samples, 99));
        Assert.Equal(100, Statistics.Percentile(samples, 100));
        Assert.Equal(1, Statistics.Percentile(samples, 0.5));
        Assert.Equal(7, Statistics.Percentile([3.0, 7.0], 99));
    }

    [Fact]
    public void No_samples_or_a_percentile_out_of_range_is_an_error()
    {
        Assert.Throws<ArgumentException>(() => Statistics.Median([]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Statistics.Percentile([1.0], 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Statistics.Percentile([1.0], 101));
    }
}
