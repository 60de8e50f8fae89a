using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ProjectExports.Exports;
using ProjectExports.Projects;

namespace ProjectExports.Imports.Review;

/// <summary>
/// Compares what a plan writes with what the project holds, in the export document's terms (so a review speaks the
/// document's language: references by name, options by index, ids and timestamps left out), and records one entry
/// per entity. Entities equal in that form are <c>unchanged</c>: the planner leaves their rows alone.
/// </summary>
internal sealed class ImportPlanReviewer(ImportReviewWriter entries)
{
    private JsonSerializerOptions? _form;

    // Both sides of a comparison are written into buffers kept for the next one: a restore compares tens of thousands.
    private readonly ArrayBufferWriter<byte> _before = new(1024);
    private readonly ArrayBufferWriter<byte> _after = new(1024);

    /// <summary>
    /// Names every reference the compared entities use: the project's entities and the plan's new ones (same ids where
    /// an entity is replaced). Called again once the plan has more, never per entity.
    /// </summary>
    public void Resolve(ProjectDefinitions existing, ProjectChanges planned)
    {
        var definitions = existing with
        {
            Tags = Union(existing.Tags, planned.Tags, t => t.Id),
            Segments = Union(existing.Segments, planned.Segments, s => s.Id),
            Features = Union(existing.Features, planned.Features, f => f.Id),
        };
        _form = ExportContract.CreateSerializerOptions(new ExportReferences(definitions, definitions.Features, includeTags: true));
    }

    /// <summary>
    /// Records an existing entity the document names: unchanged when equal in document form, else an update with its
    /// field changes when <paramref name="overwrite"/>, else skipped. Returns the action.
    /// </summary>
    public string Compare<T>(ProjectEntityRef entity, T existing, T imported, bool overwrite)
    {
        var before = DocumentForm(existing, _before);
        var after = DocumentForm(imported, _after);
        if (before.SequenceEqual(after))
        {
            Add(entity, ImportPlanAction.Unchanged);
            return ImportPlanAction.Unchanged;
        }
        if (!overwrite)
        {
            Add(entity, ImportPlanAction.Skip);
            return ImportPlanAction.Skip;
        }
        entries.Add(ImportPlanEntry.Of(entity, ImportPlanAction.Update, ImportPlanDiff.Compare(before, after)));
        return ImportPlanAction.Update;
    }

    public void Add(ProjectEntityRef entity, string action) => entries.Add(ImportPlanEntry.Of(entity, action));

    private ReadOnlySpan<byte> DocumentForm<T>(T entity, ArrayBufferWriter<byte> buffer)
    {
        var form = _form ?? throw new InvalidOperationException("Resolve references before comparing entities.");
        buffer.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = form.Encoder, Indented = form.WriteIndented, MaxDepth = form.MaxDepth }))
        {
            JsonSerializer.Serialize(writer, entity, (JsonTypeInfo<T>)form.GetTypeInfo(typeof(T)));
        }
        return buffer.WrittenSpan;
    }

    private static List<T> Union<T>(IEnumerable<T> existing, IEnumerable<T> planned, Func<T, string> id)
    {
        var byId = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var item in existing.Concat(planned)) byId[id(item)] = item;
        return [.. byId.Values];
    }
}
