using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Azure.Core;
using Microsoft.Extensions.DependencyInjection;
using ProjectExports.LocalHost.Demo;
using ProjectExports.Storage;
using ProjectExports.Tests.Infrastructure;

namespace ProjectExports.Tests.Exports;

/// <summary>
/// A selection costs only what it reads: the partitions an export queries, seen on the app's own storage calls,
/// are the project's own and the selected environments', never the others'.
/// </summary>
public sealed partial class ExportReadsTests(ExportReadsTests.ReadsFixture host) : IClassFixture<ExportReadsTests.ReadsFixture>
{
    /// <summary>Records the partition of each query of the project-configuration table: one entry per query, not per page.</summary>
    public sealed partial class PartitionQueries : RequestObserver
    {
        private readonly ConcurrentQueue<string> _partitions = new();

        public StoragePipelinePolicy Registration => new(StorageService.Tables, this);

        /// <summary>Forgets what seeding read (writes read the pages they merge into).</summary>
        public void Clear() => _partitions.Clear();

        public IReadOnlyList<string> Of(string projectId) =>
            _partitions.Where(p => p == projectId || p.StartsWith(projectId + ":", StringComparison.Ordinal)).ToList();

        [GeneratedRegex("PartitionKey eq '([^']*)'")]
        private static partial Regex PartitionFilter();

        protected override void Observe(Request request)
        {
            var uri = request.Uri.ToUri();
            if (request.Method != RequestMethod.Get || !uri.AbsolutePath.Contains("/" + StorageNames.ProjectConfigurationTable, StringComparison.Ordinal))
            {
                return;
            }
            var query = Uri.UnescapeDataString(uri.Query);
            // A query's later pages carry the continuation; they read the same partition on.
            if (!query.Contains("NextRowKey", StringComparison.Ordinal) && PartitionFilter().Match(query) is { Success: true } match)
            {
                _partitions.Enqueue(match.Groups[1].Value);
            }
        }
    }

    public sealed class ReadsFixture : LocalHostFixture
    {
        public PartitionQueries Queries { get; } = new();

        protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton(Queries.Registration);
    }

    // Five environments, as the L demo project has.
    private static readonly DemoProjectSpec Spec = new(Features: 40, MultivariateShare: 0.3, Segments: 5, Environments: 5,
        SegmentOverridesPerEnvironment: 8, IdentityOverridesPerEnvironment: 30, Tags: 4);

    [Fact]
    public async Task Exporting_one_environment_reads_the_projects_partition_and_that_environments_partitions_alone()
    {
        var project = await host.SeedProjectAsync(Spec, seed: 31);
        host.Queries.Clear();
        var id = project.Project.Id;
        var environment = project.Environments[2].Environment;

        var record = await host.ExportAndWaitAsync(id, new { include_identity_overrides = true, environments = new[] { environment.Name } });

        Assert.Equal("SUCCESS", record.GetProperty("status").GetString());
        // The project's partition twice (the names checked before the 202, then the build), each of the environment's once.
        Assert.Equal([id, id, $"{id}:{environment.Id}", $"{id}:{environment.Id}:identities"], host.Queries.Of(id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_feature_selection_reads_every_environment_once_and_a_full_export_reads_every_partition_once()
    {
        var project = await host.SeedProjectAsync(Spec, seed: 32);
        host.Queries.Clear();
        var id = project.Project.Id;
        var environments = project.Environments.Select(e => e.Environment.Id).ToList();

        var selected = await host.ExportAndWaitAsync(id, new { include_identity_overrides = true, features = new[] { project.Features.First(f => !f.IsArchived).Name } });
        Assert.Equal("SUCCESS", selected.GetProperty("status").GetString());
        var expected = new[] { id, id }.Concat(environments.SelectMany(e => new[] { $"{id}:{e}", $"{id}:{e}:identities" })).Order(StringComparer.Ordinal);
        Assert.Equal(expected, host.Queries.Of(id).Order(StringComparer.Ordinal));

        var other = await host.SeedProjectAsync(Spec, seed: 33);
        host.Queries.Clear();
        var full = await host.ExportAndWaitAsync(other.Project.Id, new { include_identity_overrides = true });
        Assert.Equal("SUCCESS", full.GetProperty("status").GetString());
        var all = new[] { other.Project.Id }.Concat(other.Environments.SelectMany(e => new[] { $"{other.Project.Id}:{e.Environment.Id}", $"{other.Project.Id}:{e.Environment.Id}:identities" }));
        Assert.Equal(all.Order(StringComparer.Ordinal), host.Queries.Of(other.Project.Id).Order(StringComparer.Ordinal));
    }
}
