using Microsoft.Extensions.Configuration;
using ProjectExports.LocalHost;
using ProjectExports.Storage;
using ProjectExports.Tests.Deployment;
using ProjectExports.Tests.Infrastructure;

namespace ProjectExports.Tests.LocalRun;

/// <summary>
/// Running locally needs no setup step: the LocalHost creates every table, queue and container before it serves, and
/// the operator's commands work on a fresh Azurite too. In Azure the infrastructure creates them (see BicepTests).
/// </summary>
public sealed class FreshStorageTests(LocalHostFixture host) : IClassFixture<LocalHostFixture>
{
    [Fact]
    public async Task A_started_LocalHost_has_created_every_table_queue_and_container()
    {
        var tables = new List<string>();
        await foreach (var table in host.Storage.Tables.QueryAsync())
        {
            tables.Add(table.Name);
        }
        var queues = new List<string>();
        await foreach (var queue in host.Storage.Queues.GetQueuesAsync())
        {
            queues.Add(queue.Name);
        }
        var containers = new List<string>();
        await foreach (var container in host.Storage.Blobs.GetBlobContainersAsync())
        {
            containers.Add(container.Name);
        }

        Assert.All(BicepTests.StorageNamesEndingIn("Table"), name => Assert.Contains(name, tables));
        Assert.All(BicepTests.StorageNamesEndingIn("Queue"), name => Assert.Contains(name, queues));
        Assert.All(BicepTests.StorageNamesEndingIn("Container"), name => Assert.Contains(name, containers));
    }

    [Fact]
    public async Task The_operators_commands_work_on_a_fresh_Azurite_before_any_server_ran()
    {
        await using var azurite = await AzuriteProcess.StartAsync();
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [StorageNames.ConnectionSetting] = azurite.ConnectionString })
            .Build();
        var commandLine = new LocalHostCommandLine((_, _) => throw new InvalidOperationException("A management command started the server."), () => configuration);

        foreach (var args in new[] { new[] { "projects", "create", "fresh" }, ["api-keys", "create", "--project", "fresh"], ["grants", "list"] })
        {
            using var output = new StringWriter();
            using var error = new StringWriter();
            var exit = await commandLine.RunAsync(args, output, error, CancellationToken.None);
            Assert.True(exit == 0, $"'{string.Join(' ', args)}' exited with {exit}: {error}");
        }
    }
}
