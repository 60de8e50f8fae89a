using ProjectExports.LocalHost.Demo;
using ProjectExports.Tests.Infrastructure;

namespace ProjectExports.Tests.Imports;

/// <summary>
/// The round trip as a property over generated projects of several shapes and sizes: export A, import into an
/// empty B, export B — identical apart from exported_at.
/// </summary>
public sealed class ImportRoundTripTests(LocalHostFixture host) : IClassFixture<LocalHostFixture>
{
    public static TheoryData<string, int> Shapes => new()
    {
        { "small", 1 },
        { "small", 2 },
        { "wide", 3 },
        { "deep", 4 },
        { "bare", 5 },
        { "no-segments", 6 },
    };

    private static DemoProjectSpec Spec(string shape) => shape switch
    {
        "wide" => new DemoProjectSpec(Features: 60, MultivariateShare: 0.6, Segments: 12, Environments: 5, SegmentOverridesPerEnvironment: 25, IdentityOverridesPerEnvironment: 40, Tags: 9),
        "deep" => new DemoProjectSpec(Features: 8, MultivariateShare: 1.0, Segments: 3, Environments: 2, SegmentOverridesPerEnvironment: 30, IdentityOverridesPerEnvironment: 90, Tags: 2),
        "bare" => new DemoProjectSpec(Features: 1, MultivariateShare: 0, Segments: 0, Environments: 1, SegmentOverridesPerEnvironment: 0, IdentityOverridesPerEnvironment: 0, Tags: 0, ArchivedFeatures: 0),
        "no-segments" => new DemoProjectSpec(Features: 15, MultivariateShare: 0.3, Segments: 0, Environments: 3, SegmentOverridesPerEnvironment: 5, IdentityOverridesPerEnvironment: 10, Tags: 3),
        _ => DemoProjectSpec.Small,
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task Export_import_export_gives_the_same_document(string shape, int seed)
    {
        var source = await host.SeedProjectAsync(Spec(shape), seed);
        var exported = await host.ExportDocumentAsync(source.Project.Id);
        var target = await host.CreateEmptyProjectAsync();

        var import = await host.ImportAndWaitAsync(target, exported);

        Assert.Equal("SUCCESS", import.GetProperty("status").GetString());
        host.Clock.Advance(TimeSpan.FromSeconds(1));
        var reexported = await host.ExportDocumentAsync(target);
        Assert.Equal(ImportClient.WithoutExportedAt(exported), ImportClient.WithoutExportedAt(reexported));

        var document = ImportClient.Parse(exported);
        var environments = document["environments"]!.AsArray();
        var summary = ImportClient.Summary(import);
        Assert.Equal(environments.Count, summary["environments_created"]);
        Assert.Equal(document["features"]!.AsArray().Count, summary["features_created"]);
        Assert.Equal(document["segments"]!.AsArray().Count, summary["segments_created"]);
        Assert.Equal(document["tags"]!.AsArray().Count, summary["tags_created"]);
        Assert.Equal(environments.Sum(e => e!["feature_states"]!.AsArray().Count), summary["feature_states_created"]);
        Assert.Equal(environments.Sum(e => e!["feature_segments"]!.AsArray().Count), summary["feature_segments_created"]);
        Assert.Equal(environments.Sum(e => e!["identity_overrides"]!.AsArray().Count), summary["identity_overrides_created"]);
        Assert.All(summary.Where(p => p.Key.EndsWith("_deleted", StringComparison.Ordinal) || p.Key.EndsWith("_skipped", StringComparison.Ordinal)),
            p => Assert.Equal(0, p.Value));
    }
}
