namespace ProjectExports.LocalHost.Demo;

/// <summary>How big a generated project is.</summary>
public sealed record DemoProjectSpec(
    int Features, double MultivariateShare, int Segments, int Environments,
    int SegmentOverridesPerEnvironment, int IdentityOverridesPerEnvironment, int Tags, int ArchivedFeatures = 1)
{
    public static readonly DemoProjectSpec Small = new(20, 0.3, 5, 3, 5, 20, 5);
    public static readonly DemoProjectSpec Medium = new(400, 0.3, 40, 4, 60, 1_000, 12);
    // About 9 MB exported with identity overrides: near the default 10 MB limit, the size the benchmark measures as L.
    public static readonly DemoProjectSpec Large = new(2_000, 0.3, 150, 5, 300, 3_500, 25);

    public static DemoProjectSpec Named(string name) => name.ToLowerInvariant() switch
    {
        "small" or "s" => Small,
        "medium" or "m" => Medium,
        "large" or "l" => Large,
        _ => throw new ArgumentException($"Unknown demo size '{name}': use small, medium or large.", nameof(name)),
    };
}
