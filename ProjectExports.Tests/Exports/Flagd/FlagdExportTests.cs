using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ProjectExports.Exports.Flagd;
using ProjectExports.Projects;
using ProjectExports.Tests.Infrastructure;

namespace ProjectExports.Tests.Exports.Flagd;

/// <summary>
/// The flagd file of one environment, evaluated by OpenFeature's own flagd core (strict schema validation on load)
/// for a table of contexts, resolves every flag as the project means it (<see cref="FlagsmithMeaning"/>), and
/// reports what it cannot say.
/// </summary>
public sealed class FlagdExportTests(LocalHostFixture host) : IClassFixture<LocalHostFixture>
{
    private const string Environment = "Production";

    private FlagdDocumentWriter Writer => host.Services.GetRequiredService<FlagdDocumentWriter>();

    private static readonly Dictionary<string, object>[] TraitSets =
    [
        [], new() { ["plan"] = "beta" }, new() { ["plan"] = "free" }, new() { ["plan"] = "beta", ["seats"] = 20L },
        new() { ["seats"] = 11L }, new() { ["seats"] = 10L }, new() { ["score"] = 50L }, new() { ["score"] = 49.5 },
        new() { ["age"] = 17L }, new() { ["age"] = 18L }, new() { ["age"] = 21L }, new() { ["age"] = 22L },
        new() { ["region"] = "eu" }, new() { ["region"] = "us" },
        new() { ["email"] = "x@ops.example" }, new() { ["email"] = "a@b.io" }, new() { ["email"] = "z@staff.example" },
        new() { ["country"] = "NL" }, new() { ["country"] = "FR" }, new() { ["country"] = 42L },
        new() { ["vip"] = true }, new() { ["user_no"] = 4L }, new() { ["user_no"] = 5L },
        new() { ["app_version"] = "2.1.0" }, new() { ["app_version"] = "2.10.1" }, new() { ["app_version"] = "2.0.9" },
        new() { ["newsletter"] = true }, new() { ["newsletter"] = "true" }, new() { ["newsletter"] = false },
        new() { ["tier"] = "gold" }, new() { ["tier"] = "silver", ["banned"] = "yes" }, new() { ["tier"] = "bronze" },
    ];

    /// <summary>Identities with overrides, with and without traits, and 200 more to fill percentage buckets.</summary>
    private static IEnumerable<FlagdContext> Contexts() =>
        TraitSets.Select(t => new FlagdContext(null, t))
            .Concat(new[] { "alice", "bob", "carol", "dave" }.SelectMany(id => TraitSets.Take(6).Select(t => new FlagdContext(id, t))))
            .Concat(Enumerable.Range(0, 200).Select(i => new FlagdContext($"user-{i}", i % 4 == 0 ? new Dictionary<string, object> { ["seats"] = 20L } : new Dictionary<string, object>())));

    [Fact]
    public async Task Every_flag_resolves_for_every_context_as_the_project_means_it()
    {
        var project = FlagdTestProject.Create("p-flagd-" + Guid.NewGuid().ToString("N")[..8]);
        await host.Services.GetRequiredService<ProjectStore>().SaveAsync(project, CancellationToken.None);
        using var file = new MemoryStream();
        var fidelity = await Writer.WriteAsync(file, project.Project.Id, Environment, null, includeIdentityOverrides: true, CancellationToken.None);
        Assert.NotNull(fidelity);

        var environment = project.Environments.Single(e => e.Environment.Name == Environment);
        var features = project.Features.Where(f => !f.IsArchived).ToList();
        var contexts = Contexts().ToList();
        var cases = features.SelectMany(f => contexts.Select(c => (f.Name, c))).ToList();
        var bucketTexts = contexts.Where(c => c.Identity is not null)
            .SelectMany(c => features.Select(f => f.Name + c.Identity).Concat(project.Segments.Select(s => s.Name + c.Identity))).Distinct().ToList();
        var evaluation = await FlagdEvaluator.EvaluateAsync(file.ToArray(), cases, bucketTexts);

        var buckets = bucketTexts.Select((t, i) => (t, evaluation.Buckets[i])).ToDictionary(p => p.t, p => p.Item2);
        var meaning = new FlagsmithMeaning(project, environment, text => buckets[text]);
        var mismatches = new List<string>();
        var seen = new Dictionary<string, HashSet<string>>();
        for (var i = 0; i < cases.Count; i++)
        {
            var (flag, context) = cases[i];
            var actual = evaluation.Results[i];
            var (variant, value) = meaning.Expect(features.Single(f => f.Name == flag), context);
            Assert.Null(actual.ErrorCode);
            if (actual.Variant != variant || actual.Value?.ToJsonString() != value?.ToJsonString())
            {
                mismatches.Add($"{flag} for {context}: expected {variant}={value?.ToJsonString()}, flagd resolved {actual.Variant}={actual.Value?.ToJsonString()} ({actual.Reason})");
            }
            (seen.TryGetValue(flag, out var set) ? set : seen[flag] = []).Add(actual.Variant ?? "(caller default)");
        }
        Assert.True(mismatches.Count == 0, $"{mismatches.Count} of {cases.Count} resolutions differ:\n" + string.Join("\n", mismatches.Take(30)));

        // The table reaches every branch worth having: each multivariate share, each override, each operator's segment.
        Assert.Superset(new HashSet<string> { "control", "option_0", "option_1", "segment:big_account", "identity:carol" }, seen["checkout"]);
        Assert.Superset(FlagdTestProject.OperatorSegments.Append("control").ToHashSet(), seen["probe"].Select(v => v.Replace("segment:", "", StringComparison.Ordinal)).ToHashSet());
        Assert.Equal(new HashSet<string> { "on", "off" }, seen["toggle"]);
    }

    [Fact]
    public async Task What_flagd_cannot_say_is_reported_in_the_file_and_returned_and_the_file_still_loads()
    {
        var project = FlagdTestProject.Create("p-flagd-" + Guid.NewGuid().ToString("N")[..8]);
        await host.Services.GetRequiredService<ProjectStore>().SaveAsync(project, CancellationToken.None);
        using var file = new MemoryStream();
        var fidelity = (await Writer.WriteAsync(file, project.Project.Id, Environment, null, includeIdentityOverrides: true, CancellationToken.None))!;

        Assert.Equal(["/$evaluators/regex_staff", "/flags/mixed/variants", "/flags/rounded/targeting"], fidelity.Select(f => f.Path).Order(StringComparer.Ordinal));
        Assert.Contains("REGEX", fidelity.Single(f => f.Path == "/$evaluators/regex_staff").Reason, StringComparison.Ordinal);
        Assert.Contains("33.333", fidelity.Single(f => f.Path == "/flags/rounded/targeting").Reason, StringComparison.Ordinal);

        var evaluation = await FlagdEvaluator.EvaluateAsync(file.ToArray(), [("probe", new FlagdContext(null, new Dictionary<string, object> { ["email"] = "z@staff.example" }))], []);
        Assert.Equal(fidelity.Count, (int)evaluation.Metadata["fidelity.count"]!);
        for (var i = 0; i < fidelity.Count; i++)
        {
            Assert.Equal(fidelity[i].Path, (string?)evaluation.Metadata[$"fidelity.{i}.path"]);
            Assert.Equal(fidelity[i].Reason, (string?)evaluation.Metadata[$"fidelity.{i}.reason"]);
        }
        Assert.NotEqual("segment:regex_staff", evaluation.Results[0].Variant); // the unmappable condition never matches, as reported

        var document = JsonNode.Parse(file.ToArray())!;
        Assert.Equal(FlagdDocumentWriter.SchemaUrl, (string?)document["$schema"]);
        Assert.Null(document["flags"]!["archived_one"]);
        Assert.Equal("DISABLED", (string?)document["flags"]!["dark"]!["state"]);
    }

    [Fact]
    public async Task A_missing_project_or_environment_writes_nothing()
    {
        var project = FlagdTestProject.Create("p-flagd-" + Guid.NewGuid().ToString("N")[..8]);
        await host.Services.GetRequiredService<ProjectStore>().SaveAsync(project, CancellationToken.None);
        using var file = new MemoryStream();
        Assert.Null(await Writer.WriteAsync(file, project.Project.Id, "production", null, includeIdentityOverrides: true, CancellationToken.None));
        Assert.Null(await Writer.WriteAsync(file, "p-missing", Environment, null, includeIdentityOverrides: true, CancellationToken.None));
        Assert.Equal(0, file.Length);
    }
}
