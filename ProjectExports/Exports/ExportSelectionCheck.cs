using System.Text.Json;
using Microsoft.AspNetCore.Http;
using ProjectExports.Http;
using ProjectExports.Imports;
using ProjectExports.Projects;

namespace ProjectExports.Exports;

/// <summary>
/// Checks a create body's selection before the export is accepted, so a typo is a 400 now rather than a document
/// missing what was meant. Every problem is reported at once in an <c>errors</c> extension, as import validation
/// does ({code, message, path}, the path a JSON Pointer into the body). An empty list and a repeated name are refused
/// rather than guessed at (does [] mean all or none?); null is the same as leaving the field out, so a record's
/// <c>selection</c> can be sent back as it is. Names match exactly, as an import matches them.
/// </summary>
public sealed class ExportSelectionCheck(ProjectStore store)
{
    public const string InvalidSelection = "invalid_selection";

    /// <summary>Room for the names in the record's row: Table Storage holds 64 KiB per property.</summary>
    private const int MaxStoredBytes = 60 * 1024;

    /// <returns>What the body asks to export, names in export order (none when it limits nothing), or the problem to answer.</returns>
    public async Task<Outcome<ExportSelection>> CheckAsync(string projectId, CreateExportRequest body, CancellationToken cancellationToken)
    {
        if (body.Environments is null && body.Features is null && body.Tags is null)
        {
            return new ExportSelection(body.IncludeTags, body.IncludeIdentityOverrides, null);
        }
        var issues = new ImportIssueList();
        var environments = Names(body.Environments, "environments", issues);
        var features = Names(body.Features, "features", issues);
        var tags = Names(body.Tags, "tags", issues);

        var definitions = await store.ReadDefinitionsAsync(projectId, cancellationToken).ConfigureAwait(false);
        if (definitions is null)
        {
            return Outcome<ExportSelection>.Refused(Problems.ProjectNotFound(projectId));
        }
        var environmentNames = definitions.Environments.Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        Unknown(environments, "environments", n => environmentNames.Contains(n) ? null : ("unknown_environment", $"There is no environment '{n}' in this project."), issues);
        var live = definitions.Features.Where(f => !f.IsArchived).Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        var archived = definitions.Features.Where(f => f.IsArchived).Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        Unknown(features, "features", n => live.Contains(n) ? null
            : archived.Contains(n) ? ("archived_feature", $"Feature '{n}' is archived; archived features are not exported.")
            : ("unknown_feature", $"There is no feature '{n}' in this project."), issues);
        var labels = definitions.Tags.Select(t => t.Label).ToHashSet(StringComparer.Ordinal);
        Unknown(tags, "tags", n => labels.Contains(n) ? null : ("unknown_tag", $"There is no tag '{n}' in this project."), issues);

        if (issues.Count > 0)
        {
            return Outcome<ExportSelection>.Refused(Invalid(issues));
        }
        var names = new SelectedNames { Environments = Sorted(environments), Features = Sorted(features), Tags = Sorted(tags) };
        // The record keeps the names in one property; characters JSON escapes (emoji) can grow past it from a body within its limit.
        if (JsonSerializer.SerializeToUtf8Bytes(names, ApiJsonContext.Wire.SelectedNames).Length > MaxStoredBytes)
        {
            issues.Add(new ImportIssue("selection_too_large", $"The selection's names take more than {MaxStoredBytes:N0} bytes as stored; export in parts.", ""));
            return Outcome<ExportSelection>.Refused(Invalid(issues));
        }
        return new ExportSelection(body.IncludeTags, body.IncludeIdentityOverrides, names);
    }

    /// <summary>The list's names with their positions, after reporting what makes the list itself unusable.</summary>
    private static List<(string Name, string Path)>? Names(List<string>? given, string field, ImportIssueList issues)
    {
        if (given is null)
        {
            return null;
        }
        var path = JsonPointer.Append("", field);
        if (given.Count == 0)
        {
            issues.Add(new ImportIssue("empty_selection", $"'{field}' is empty; name at least one, or leave the field out to export them all.", path));
        }
        var names = new List<(string, string)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < given.Count; i++)
        {
            var itemPath = JsonPointer.Append(path, i);
            // The serializer does not hold list items to their nullable annotation.
            if (given[i] is not { } name)
            {
                issues.Add(new ImportIssue(ImportIssueCodes.WrongType, "Expected a name (a string), not null.", itemPath));
            }
            else if (!seen.Add(name))
            {
                issues.Add(new ImportIssue(ImportIssueCodes.DuplicateName, $"'{Echo.Cut(name, 100)}' appears more than once in '{field}'; name each once.", itemPath));
            }
            else
            {
                names.Add((name, itemPath));
            }
        }
        return names;
    }

    private static void Unknown(List<(string Name, string Path)>? names, string field, Func<string, (string Code, string Message)?> problemOf, ImportIssueList issues)
    {
        foreach (var (name, path) in names ?? [])
        {
            // The issue cuts a long name in its message, as every issue does.
            if (problemOf(name) is { } problem)
            {
                issues.Add(new ImportIssue(problem.Code, problem.Message, path));
            }
        }
    }

    private static List<string>? Sorted(List<(string Name, string Path)>? names) =>
        names?.Select(n => n.Name).Order(ExportOrder.Instance).ToList();

    private static IResult Invalid(ImportIssueList issues) =>
        IssuesProblem.Create(InvalidSelection, "The request is not valid.", "The selection", "no export was created", issues);
}
