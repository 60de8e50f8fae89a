using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using ProjectExports.Exports;
using ProjectExports.Projects;
using ProjectExports.Storage;
using ProjectExports.Tests.Infrastructure;

namespace ProjectExports.Tests.Storage;

/// <summary>
/// Rows streamed from real Azurite responses through the Tables client's pipeline: every page of a partition, in the
/// table's order, entities of several chunks whole, and the client's own errors where the service answers with one.
/// </summary>
public sealed class TableRowReaderTests(LocalHostFixture host) : IClassFixture<LocalHostFixture>
{
    private ProjectStore Store => host.Services.GetRequiredService<ProjectStore>();

    private static ProjectSnapshot Project(string projectId, int identities)
    {
        var environment = new ProjectEnvironment { Id = "env1", Name = "Production", Project = projectId };
        return new ProjectSnapshot
        {
            Project = new Project { Id = projectId, Name = projectId },
            Features = [new Feature { Id = "f1", Name = "flag", Description = new string('d', 150_000) }],
            Environments =
            [
                new EnvironmentSnapshot
                {
                    Environment = environment,
                    // Shuffled: the partition, not the write order, decides the order read back.
                    IdentityOverrides = Enumerable.Range(0, identities).Reverse().Select(i => new IdentityOverride
                    {
                        Identifier = $"user-{i}",
                        Environment = environment.Id,
                        FeatureState = new FeatureState { Id = $"s{i}", Feature = "f1", Environment = environment.Id, Enabled = i % 2 == 0 },
                    }).ToList(),
                },
            ],
        };
    }

    [Fact]
    public async Task A_partition_of_several_pages_is_read_whole_in_identifier_order_as_it_arrives()
    {
        await Store.SaveAsync(Project("paged", 2_500), CancellationToken.None); // the service pages at 1,000 entities

        var identifiers = new List<string>();
        var deliveries = 0;
        await Store.ReadIdentityOverridesAsync("paged", "env1", (items, _) =>
        {
            deliveries++;
            identifiers.AddRange(items.Select(i => i.Identifier));
            return ValueTask.CompletedTask;
        }, CancellationToken.None);

        var expected = Enumerable.Range(0, 2_500).Select(i => $"user-{i}").Order(ExportOrder.Instance).ToList();
        Assert.Equal(expected, identifiers);
        Assert.True(deliveries >= 3, $"rows are delivered as they arrive, not once at the end ({deliveries} deliveries)");
    }

    [Fact]
    public async Task An_entity_stored_in_several_chunks_is_read_back_whole()
    {
        var snapshot = Project("chunked", 1);
        await Store.SaveAsync(snapshot, CancellationToken.None);

        var definitions = await Store.ReadDefinitionsAsync("chunked", CancellationToken.None);

        Assert.Equal(snapshot.Features[0].Description, Assert.Single(definitions!.Features).Description);
    }

    [Fact]
    public async Task A_query_the_service_refuses_fails_with_the_clients_own_error()
    {
        var missing = host.Storage.Tables.GetTableClient("nosuchtable");

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => TableRowReader.ReadAsync<object>(
            missing, "PartitionKey eq 'p'", (_, _) => null, (_, _) => ValueTask.CompletedTask, CancellationToken.None));

        Assert.Equal(404, error.Status);
        Assert.Equal("TableNotFound", error.ErrorCode);
    }

    [Fact]
    public async Task A_client_built_without_the_streaming_policy_is_refused_rather_than_read_twice()
    {
        await Store.SaveAsync(Project("plain", 3), CancellationToken.None);
        var plain = new TableServiceClient(host.StorageConnectionString).GetTableClient(StorageNames.ProjectConfigurationTable);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => TableRowReader.ReadAsync<object>(
            plain, ProjectStore.PartitionFilter("plain"), (_, _) => null, (_, _) => ValueTask.CompletedTask, CancellationToken.None));
        Assert.Contains(nameof(StorageClients.TableOptions), error.Message);
    }
}
