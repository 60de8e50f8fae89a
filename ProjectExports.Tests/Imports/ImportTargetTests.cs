using ProjectExports.Imports;
using ProjectExports.Projects;

namespace ProjectExports.Tests.Imports;

/// <summary>The target project's environments are read as the planner comes to each, one at a time, and hashed as read.</summary>
public sealed class ImportTargetTests
{
    private static readonly ProjectDefinitions Definitions = new(
        new Project { Id = "p1", Name = "p1" }, [], [], [],
        [new ProjectEnvironment { Id = "e1", Name = "Production" }, new ProjectEnvironment { Id = "e2", Name = "Staging" }, new ProjectEnvironment { Id = "e3", Name = "Development" }]);

    private static ImportTargetEnvironment Data(string environmentId, bool enabled = true) => new(
        new EnvironmentStates([new FeatureState { Id = $"{environmentId}-s1", Feature = "f1", Environment = environmentId, Enabled = enabled }], []),
        [new IdentityOverride { Identifier = "user-1", Environment = environmentId, FeatureState = new FeatureState { Id = $"{environmentId}-o1", Feature = "f1" } }]);

    /// <summary>A target over <see cref="Definitions"/>'s environments the document names, recording which it reads.</summary>
    private static ImportTarget Target(List<string> reads, Func<string, ImportTargetEnvironment>? data = null, params string[] named) =>
        new(Definitions, named.Select(id => Definitions.Environments.Single(e => e.Id == id)).ToList(), (environment, _) =>
        {
            lock (reads) reads.Add(environment.Id);
            return Task.FromResult((data ?? (id => Data(id)))(environment.Id));
        });

    [Fact]
    public async Task An_environment_is_read_when_asked_for_alone_and_never_twice()
    {
        var reads = new List<string>();
        var target = Target(reads, null, "e2", "e1", "e3");

        var staging = await target.ReadAsync(Definitions.Environments[1], CancellationToken.None);

        Assert.Equal("e2-s1", staging.States.FeatureStates.Single().Id);
        Assert.Equal(["e2"], reads); // no other environment is held while Staging is planned
        Assert.Equal(2, target.EntitiesRead);
        await target.ReadAsync(Definitions.Environments[0], CancellationToken.None);
        Assert.Equal(["e2", "e1"], reads);
        await target.StateHashAsync(CancellationToken.None);
        Assert.Equal(["e2", "e1", "e3"], reads); // each once: the hash uses the digests taken as they were read
    }

    [Fact]
    public async Task The_state_hash_reads_what_planning_did_not_and_is_the_same_whatever_was_read_first()
    {
        var planned = new List<string>();
        var afterPlanning = Target(planned, null, "e1", "e2");
        await afterPlanning.ReadAsync(Definitions.Environments[1], CancellationToken.None);
        var hashAfterPlanning = await afterPlanning.StateHashAsync(CancellationToken.None);

        var checkedOnly = new List<string>();
        var hashAlone = await Target(checkedOnly, null, "e1", "e2").StateHashAsync(CancellationToken.None);

        Assert.Equal(["e1", "e2"], checkedOnly.Order());
        Assert.Equal(hashAlone, hashAfterPlanning);
    }

    [Fact]
    public async Task The_state_hash_changes_with_any_named_environments_data_and_with_which_are_named()
    {
        var reads = new List<string>();
        var before = await Target(reads, null, "e1", "e3").StateHashAsync(CancellationToken.None);
        var changed = await Target(reads, id => Data(id, enabled: id != "e3"), "e1", "e3").StateHashAsync(CancellationToken.None);
        var otherEnvironments = await Target(reads, null, "e1", "e2").StateHashAsync(CancellationToken.None);

        Assert.NotEqual(before, changed);
        Assert.NotEqual(before, otherEnvironments);
        Assert.Equal(before, await Target(reads, null, "e3", "e1").StateHashAsync(CancellationToken.None)); // the document's order is not the project's state
    }
}
