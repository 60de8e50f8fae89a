using ProjectExports.Projects;

namespace ProjectExports.Imports;

/// <summary>One matched environment's data in the target project, as the planner compares the document's with it.</summary>
/// <param name="IdentityOverrides">Empty when the document has no identity overrides for the environment (they are not read then).</param>
public sealed record ImportTargetEnvironment(EnvironmentStates States, IReadOnlyList<IdentityOverride> IdentityOverrides);
