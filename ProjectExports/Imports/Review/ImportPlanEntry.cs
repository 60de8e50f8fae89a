using System.Text.Json.Serialization;
using ProjectExports.Projects;

namespace ProjectExports.Imports.Review;

/// <summary>
/// One entity of a reviewed plan: which (named as in <see cref="ProjectEntityRef"/>), what the import does to it
/// (<see cref="ImportPlanAction"/>), and for an update the fields it changes.
/// </summary>
public sealed record ImportPlanEntry(
    string Type,
    string Name,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Environment,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Segment,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Identifier,
    string Action,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<ImportFieldChange>? Changes)
{
    /// <summary>How many changes the entry has when <see cref="Changes"/> lists only the first few; null when it lists all.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? ChangesTotal { get; init; }

    public static ImportPlanEntry Of(ProjectEntityRef entity, string action, IReadOnlyList<ImportFieldChange>? changes = null) =>
        new(entity.Type, entity.Name, entity.Environment, entity.Segment, entity.Identifier, action, changes);
}
