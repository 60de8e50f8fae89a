using System.Security.Cryptography;
using System.Text.RegularExpressions;
using ProjectExports.Demo;
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
}
