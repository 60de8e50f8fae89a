using ProjectExports.Benchmarks;

namespace ProjectExports.Tests.Benchmarks;

/// <summary>The benchmark's options, as scripts/bench passes them on.</summary>
public sealed class BenchSettingsTests
{
    [Fact]
    public void Without_options_both_phases_run_every_size_with_50_callers()
    {
        var settings = BenchSettings.Parse([]);

        Assert.Equal(BenchPhase.All, settings.Phase);
        Assert.Equal("SML", settings.Sizes);
        Assert.Equal(50, settings.Callers);
    }

    [Theory]
    [InlineData("load", BenchPhase.Load)]
    [InlineData("Exports", BenchPhase.Exports)]
    [InlineData("all", BenchPhase.All)]
    public void A_phase_is_named_in_any_case_among_other_options(string name, BenchPhase expected)
    {
        var settings = BenchSettings.Parse(["--runs", "2", "--phase", name, "--sizes", "sl"]);

        Assert.Equal(expected, settings.Phase);
        Assert.Equal(2, settings.Runs);
        Assert.Equal("SL", settings.Sizes);
    }

    [Theory]
    [InlineData("--phase", "both", "load, exports or all")]
    [InlineData("--phase", "2", "load, exports or all")]
    [InlineData("--speed", "1", "--phase load|exports|all")]
    public void Unknown_phases_and_options_are_refused_naming_the_valid_ones(string option, string value, string named)
    {
        var error = Assert.Throws<ArgumentException>(() => BenchSettings.Parse([option, value]));

        Assert.Contains(named, error.Message);
    }
}
