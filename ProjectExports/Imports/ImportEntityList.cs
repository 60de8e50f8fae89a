using ProjectExports.Projects;

namespace ProjectExports.Imports;

/// <summary>
/// Entities an answer names (differences found by verification, rows a forced revert overwrote): how many in all,
/// and the first of them, capped in number and size so the record stays one small table row.
/// </summary>
public sealed record ImportEntityList(int Total, IReadOnlyList<ProjectEntityRef> Entities)
{
    public const int MaxEntities = 50;

    /// <summary>Under a table string property's 64 KiB (32 K characters) even if every character of a name were escaped (6 characters) in JSON.</summary>
    private const int MaxCharacters = 30_000;

    public static ImportEntityList Of(IReadOnlyList<ProjectEntityRef> all)
    {
        var kept = new List<ProjectEntityRef>();
        var characters = 0;
        foreach (var entity in all.Take(MaxEntities))
        {
            characters += 100 + 6 * (entity.Type.Length + entity.Name.Length + (entity.Environment?.Length ?? 0) + (entity.Segment?.Length ?? 0) + (entity.Identifier?.Length ?? 0));
            if (characters > MaxCharacters) break;
            kept.Add(entity);
        }
        return new ImportEntityList(all.Count, kept);
    }
}
