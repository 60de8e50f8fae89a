namespace ProjectExports.Imports;

/// <summary>
/// Which of the project's rows a plan was made from, beyond its definitions: the environments it names, and those whose
/// identity overrides it read. Kept with a reviewed plan so the apply step can read the same rows again and tell
/// whether the project is still as the plan found it.
/// </summary>
public sealed record ImportTargetScope(IReadOnlyList<string> Environments, IReadOnlyList<string> IdentityOverrideEnvironments)
{
    public static ImportTargetScope Of(ImportDocument document) => new(
        document.Environments.Select(e => e.Settings.Name).Distinct(StringComparer.Ordinal).ToList(),
        document.Environments.Where(e => e.IdentityOverrides is not null).Select(e => e.Settings.Name).Distinct(StringComparer.Ordinal).ToList());
}
