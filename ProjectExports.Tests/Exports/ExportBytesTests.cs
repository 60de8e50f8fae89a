using System.Security.Cryptography;
using System.Text.RegularExpressions;
using System.Text.Json;
using ProjectExports.Exports;
using ProjectExports.LocalHost.Demo;
using ProjectExports.Tests.Infrastructure;

namespace ProjectExports.Tests.Exports;

/// <summary>
/// Pins the exact bytes of exports of a seeded project, so performance work on the pipeline (reading, serializing,
/// uploading) cannot change a document unnoticed. The hashes were taken from the pipeline before it was optimised;
/// a deliberate change of the document format updates them.
/// </summary>
public sealed partial class ExportBytesTests(LocalHostFixture host) : IClassFixture<LocalHostFixture>
{
    // An explicit spec rather than a preset, so tuning the demo presets does not move these hashes.
    private static readonly DemoProjectSpec Spec = new(400, 0.3, 40, 4, 60, 1_000, 12, ArchivedFeatures: 3);

    [GeneratedRegex("\"exported_at\":\"[^\"]*\"")]
    private static partial Regex ExportedAt();

    [Theory]
    [InlineData(true, true, "9cb3c67eae80f9cd92c1a22583104c64be50ccc4bd29ee6c06b396d0db28395c")]
    [InlineData(false, false, "cb87b81653759704000938c54e447a947634fda80ba472a434f72b84df197125")]
    public async Task Exports_of_a_seeded_project_are_byte_identical_to_the_reference(bool tags, bool identityOverrides, string expectedSha256)
    {
        var project = await host.SeedProjectAsync(Spec, seed: 11);
        var record = await host.ExportAndWaitAsync(project.Project.Id, new { include_tags = tags, include_identity_overrides = identityOverrides });
        Assert.Equal("SUCCESS", record.GetProperty("status").GetString());
        var bytes = await host.DownloadAsync(project.Project.Id, record.GetProperty("id").GetString()!);

        var normalized = ExportedAt().Replace(System.Text.Encoding.UTF8.GetString(bytes), "\"exported_at\":\"-\"", 1);
        var actual = Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(normalized)));
        Assert.True(expectedSha256 == actual, $"The document changed: SHA-256 {actual}, {bytes.Length:N0} bytes.");
    }

    [Fact]
    public async Task Identity_overrides_spanning_several_table_pages_arrive_complete_and_in_order()
    {
        // Over 1,000 overrides per environment: several service pages, read ahead through a bounded buffer
        // while other environments are read too.
        var spec = new DemoProjectSpec(60, 0.3, 5, 3, 5, 2_600, 4);
        var project = await host.SeedProjectAsync(spec, seed: 5);
        var record = await host.ExportAndWaitAsync(project.Project.Id, new { include_identity_overrides = true });
        Assert.Equal("SUCCESS", record.GetProperty("status").GetString());
        var document = JsonDocument.Parse(await host.DownloadAsync(project.Project.Id, record.GetProperty("id").GetString()!)).RootElement;

        var names = project.Features.Where(f => !f.IsArchived).ToDictionary(f => f.Id, f => f.Name);
        foreach (var environment in project.Environments)
        {
            var expected = environment.IdentityOverrides
                .Where(o => names.ContainsKey(o.FeatureState.Feature))
                .Select(o => (o.Identifier, Feature: names[o.FeatureState.Feature]))
                .OrderBy(o => o.Identifier, ExportOrder.Instance).ThenBy(o => o.Feature, ExportOrder.Instance)
                .ToList();
            var exported = document.GetProperty("environments").EnumerateArray()
                .Single(e => e.GetProperty("name").GetString() == environment.Environment.Name)
                .GetProperty("identity_overrides").EnumerateArray()
                .Select(o => (o.GetProperty("identifier").GetString()!, o.GetProperty("feature_state").GetProperty("feature").GetString()!))
                .ToList();
            Assert.True(expected.Count > 1_000, "the environment must span several pages");
            Assert.Equal(expected, exported);
        }
    }
}
