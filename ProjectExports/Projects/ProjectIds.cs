using System.Text.RegularExpressions;

namespace ProjectExports.Projects;

/// <summary>Project ids are short lower-case slugs, usable as they are in routes, keys and blob names.</summary>
public static partial class ProjectIds
{
    public const string Rule = "1 to 63 lower-case letters, digits or '-', starting with a letter or digit";

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}$")]
    private static partial Regex Pattern();

    public static bool IsValid(string? projectId) => projectId is not null && Pattern().IsMatch(projectId);
}
