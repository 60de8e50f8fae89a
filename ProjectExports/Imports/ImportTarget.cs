using ProjectExports.Projects;

namespace ProjectExports.Imports;

/// <summary>What the planner needs to know of the target project: its definitions and the matched environments' data.</summary>
public sealed record ImportTarget(
    ProjectDefinitions Definitions,
    IReadOnlyDictionary<string, EnvironmentStates> States,
    IReadOnlyDictionary<string, IReadOnlyList<IdentityOverride>> IdentityOverrides);
