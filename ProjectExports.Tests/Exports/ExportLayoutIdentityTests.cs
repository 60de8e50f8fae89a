using System.Security.Cryptography;
using System.Text;
using Azure.Data.Tables;
using ProjectExports.LocalHost.Demo;
using ProjectExports.Projects;
using ProjectExports.Storage;
using ProjectExports.Tests.Imports;
using ProjectExports.Tests.Infrastructure;

namespace ProjectExports.Tests.Exports;

/// <summary>
/// A change of storage layout must not change a byte of what is exported: the export of a generated project (several
/// pages per partition in layout 2) is compared with the same project's export under layout 1, the one-row-per-entity
/// layout of commit 2d7e091, where this test printed the figures below (with EXPORT_IDENTITY_PRINT=1).
/// </summary>
public sealed class ExportLayoutIdentityTests(LocalHostFixture host) : IClassFixture<LocalHostFixture>
{
    private static readonly DemoProjectSpec Spec = new(Features: 200, MultivariateShare: 0.3, Segments: 10, Environments: 2,
        SegmentOverridesPerEnvironment: 20, IdentityOverridesPerEnvironment: 800, Tags: 5);

    private const int LayoutOneBytes = 655_049;
    private const string LayoutOneSha256 = "9a27ffb2829a4780e5d055981c63913c2cc74ad309368e259b190db6334790d8";

    [Fact]
    public async Task The_export_of_a_project_is_byte_for_byte_what_layout_1_exported()
    {
        var project = await host.SeedProjectAsync(Spec, seed: 1_800);
        var table = host.Storage.Tables.GetTableClient(StorageNames.ProjectConfigurationTable);
        var identities = table.QueryAsync<TableEntity>(ProjectStore.PartitionFilter($"{project.Project.Id}:{project.Environments[0].Environment.Id}:identities"), select: ["RowKey"]);
        Assert.True(await identities.CountAsync() > 1, "the project should fill several pages of a partition");

        var document = Encoding.UTF8.GetBytes(await host.ExportDocumentAsync(project.Project.Id));

        var sha256 = Convert.ToHexStringLower(SHA256.HashData(document));
        if (Environment.GetEnvironmentVariable("EXPORT_IDENTITY_PRINT") == "1")
            Console.WriteLine($"EXPORT_IDENTITY {document.Length} {sha256}");
        Assert.Equal((LayoutOneBytes, LayoutOneSha256), (document.Length, sha256));
    }
}
