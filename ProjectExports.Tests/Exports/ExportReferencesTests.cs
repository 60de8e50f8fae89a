using ProjectExports.Exports;
using ProjectExports.Projects;

namespace ProjectExports.Tests.Exports;

/// <summary>How a state's multivariate allocations are exported: only exported options, in the options' order.</summary>
public sealed class ExportReferencesTests
{
    private static readonly Feature Checkout = new()
    {
        Id = "f1", Name = "checkout", Type = "MULTIVARIATE",
        MultivariateOptions = [new() { Id = "o-a" }, new() { Id = "o-b" }, new() { Id = "o-c" }],
    };

    private static readonly ExportReferences References =
        new(new ProjectDefinitions(new Project { Id = "p" }, [], [], [Checkout], []), [Checkout], includeTags: true);

    private static FeatureState State(params string[] optionIds) => new()
    {
        Feature = "f1",
        MultivariateFeatureStateValues = optionIds.Select(id => new MultivariateFeatureStateValue { Id = $"v-{id}", MultivariateFeatureOption = id }).ToList(),
    };

    [Theory]
    [InlineData(new[] { "o-a", "o-b", "o-c" }, new[] { "o-a", "o-b", "o-c" })]
    [InlineData(new[] { "o-c", "o-a" }, new[] { "o-a", "o-c" })]
    [InlineData(new[] { "o-b", "o-gone", "o-a" }, new[] { "o-a", "o-b" })]
    [InlineData(new[] { "o-gone" }, new string[0])]
    public void Allocations_of_exported_options_come_in_option_order(string[] stored, string[] exported) =>
        Assert.Equal(exported, References.MultivariateValues(State(stored)).Select(v => v.MultivariateFeatureOption));
}
