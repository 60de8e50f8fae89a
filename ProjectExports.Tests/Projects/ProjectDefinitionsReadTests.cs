using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using ProjectExports.Projects;
using ProjectExports.Storage;
using ProjectExports.Tests.Infrastructure;

namespace ProjectExports.Tests.Projects;

/// <summary>
/// The project's own partition read against Azurite: its environments are told as soon as their rows are read, before
/// the rows after them (features, segments, tags), so an export can start reading the environments meanwhile.
/// </summary>
public sealed class ProjectDefinitionsReadTests(LocalHostFixture host) : IClassFixture<LocalHostFixture>
{
    private ProjectStore Store => host.Services.GetRequiredService<ProjectStore>();

    private static ProjectSnapshot Project(string projectId) => new()
    {
        Project = new Project { Id = projectId, Name = projectId },
        Features = [new Feature { Id = "f1", Name = "flag" }],
        Environments =
        [
            new EnvironmentSnapshot { Environment = new ProjectEnvironment { Id = "e1", Name = "Production", Project = projectId } },
            new EnvironmentSnapshot { Environment = new ProjectEnvironment { Id = "e2", Name = "Staging", Project = projectId } },
        ],
    };

    [Fact]
    public async Task The_environments_are_told_before_the_features_are_decoded()
    {
        await Store.SaveAsync(Project("told-early"), CancellationToken.None);
        // A feature row that cannot be decoded: the read fails there, after the environments' rows.
        var table = host.Storage.Tables.GetTableClient(StorageNames.ProjectConfigurationTable);
        await table.AddEntityAsync(JsonEntityCodec.ToEntity("told-early", "feature:zz", "{\"id\": 7"u8.ToArray(), "a broken feature"));

        var told = new List<IReadOnlyList<ProjectEnvironment>>();
        await Assert.ThrowsAsync<StoredDataException>(() => Store.ReadDefinitionsAsync("told-early", told.Add, CancellationToken.None));

        Assert.Equal(["e1", "e2"], Assert.Single(told).Select(e => e.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_environments_told_are_those_the_definitions_hold_and_are_told_once()
    {
        await Store.SaveAsync(Project("told-once"), CancellationToken.None);

        var told = new List<IReadOnlyList<ProjectEnvironment>>();
        var definitions = await Store.ReadDefinitionsAsync("told-once", told.Add, CancellationToken.None);

        Assert.Equal(definitions!.Environments.Select(e => e.Id), Assert.Single(told).Select(e => e.Id));
        Assert.Equal("flag", Assert.Single(definitions.Features).Name);
    }

    [Fact]
    public async Task An_unknown_project_is_told_no_environments()
    {
        var told = new List<IReadOnlyList<ProjectEnvironment>>();

        Assert.Null(await Store.ReadDefinitionsAsync("no-such-project", told.Add, CancellationToken.None));
        Assert.Empty(Assert.Single(told));
    }
}
