using ProjectExports.Projects;

namespace ProjectExports.Exports;

/// <summary>Which of a project's environments and features a selection exports (all of them without one).</summary>
internal static class SelectionScope
{
    /// <summary>The features named plus those carrying any of the tags, or every feature when neither is given; never archived ones.</summary>
    public static IEnumerable<Feature> Features(ProjectDefinitions definitions, SelectedNames? names)
    {
        var live = definitions.Features.Where(f => !f.IsArchived);
        if (names is null || (names.Features is null && names.Tags is null))
        {
            return live;
        }
        var named = new HashSet<string>(names.Features ?? [], StringComparer.Ordinal);
        var labels = new HashSet<string>(names.Tags ?? [], StringComparer.Ordinal);
        var tagIds = definitions.Tags.Where(t => labels.Contains(t.Label)).Select(t => t.Id).ToHashSet(StringComparer.Ordinal);
        return live.Where(f => named.Contains(f.Name) || f.Tags.Any(tagIds.Contains));
    }

    public static IEnumerable<ProjectEnvironment> Environments(ProjectDefinitions definitions, SelectedNames? names)
    {
        if (names?.Environments is null)
        {
            return definitions.Environments;
        }
        var named = new HashSet<string>(names.Environments, StringComparer.Ordinal);
        return definitions.Environments.Where(e => named.Contains(e.Name));
    }
}
