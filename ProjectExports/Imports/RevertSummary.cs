using System.Text;
using ProjectExports.Projects;

namespace ProjectExports.Imports;

/// <summary>
/// What a revert did, per entity type (as in <see cref="ProjectEntityRef.Type"/>): entities <c>restored</c> to how
/// they were before the import (which had changed or deleted them) and entities <c>removed</c> (which the import had
/// created). Only types with a count appear.
/// </summary>
public sealed class RevertSummary
{
    private static readonly string[] Types = ["tag", "segment", "feature", "environment", "feature_state", "segment_override", "identity_override"];

    public Dictionary<string, int> Restored { get; init; } = [];
    public Dictionary<string, int> Removed { get; init; } = [];

    public static RevertSummary Of(string projectId, ImportSnapshot revert)
    {
        var summary = new RevertSummary();
        foreach (var row in revert.Rows.OrderBy(r => Array.IndexOf(Types, ProjectStore.EntityTypeOf(projectId, r.Key))))
        {
            var counts = row.After is null ? summary.Removed : summary.Restored;
            var type = ProjectStore.EntityTypeOf(projectId, row.Key);
            counts[type] = counts.GetValueOrDefault(type) + 1;
        }
        return summary;
    }

    /// <summary>"3 feature states restored, 2 features removed": every count, restored first, in type order.</summary>
    public string ToWords()
    {
        var words = new StringBuilder();
        foreach (var (counts, verb) in new[] { (Restored, "restored"), (Removed, "removed") })
        {
            foreach (var (type, count) in counts)
            {
                if (words.Length > 0) words.Append(", ");
                words.Append(count).Append(' ').Append(type.Replace('_', ' ')).Append(count == 1 ? "" : "s").Append(' ').Append(verb);
            }
        }
        return words.Length == 0 ? "nothing to change" : words.ToString();
    }
}
