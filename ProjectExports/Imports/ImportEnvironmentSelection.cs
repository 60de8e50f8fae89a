using static ProjectExports.Imports.ImportIssueCodes;

namespace ProjectExports.Imports;

/// <summary>
/// The document's environments an import takes (<see cref="ImportEnvironmentOptions"/>), checked against a valid
/// document and applied to it before planning: environments not selected are dropped whole (settings, states,
/// segment and identity overrides), mapped ones are renamed to their target. The planner then sees only the target
/// names, so nothing it writes, destructive or not, reaches an environment the document no longer names.
/// Rules, all checked before anything is written: every map key and selected name is a name the document has
/// (exactly, as names match); a target is a valid environment name; no two imported environments end up with the
/// same name, or names that differ only by Unicode normalization or invisible characters (a target equal to another
/// imported environment's name, or two sources onto one target). A map key for an environment that is not selected
/// is allowed and ignored, so one map can serve imports of different subsets; a name selected twice counts once.
/// </summary>
public sealed class ImportEnvironmentSelection
{
    /// <summary>For each environment kept, in order, its index in the document: plan paths are put back onto it.</summary>
    private readonly int[] _documentIndexes;

    private ImportEnvironmentSelection(ImportEnvironmentOptions options, int[] documentIndexes, IReadOnlyList<ImportIssue> warnings)
    {
        Options = options;
        _documentIndexes = documentIndexes;
        Warnings = warnings;
    }

    /// <summary>Takes every environment under its own name.</summary>
    public static readonly ImportEnvironmentSelection All = new(ImportEnvironmentOptions.None, [], []);

    /// <summary>One warning for each environment left out, at its place in the document.</summary>
    public IReadOnlyList<ImportIssue> Warnings { get; }

    /// <summary>The options as given.</summary>
    public ImportEnvironmentOptions Options { get; }

    private bool TakesAll => Options.EnvironmentMap is null && Options.Environments is null;

    /// <summary>The selection the options make of a valid document, or every problem with them.</summary>
    public static (ImportEnvironmentSelection? Selection, IReadOnlyList<ImportIssue> Errors) Create(ImportDocument document, ImportEnvironmentOptions options)
    {
        if (options.EnvironmentMap is null && options.Environments is null) return (All, []);
        var errors = new ImportIssueList();
        var indexes = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < document.Environments.Count; i++) indexes.TryAdd(document.Environments[i].Settings.Name, i);
        var map = options.EnvironmentMap ?? new Dictionary<string, string>();

        foreach (var name in map.Keys.Where(k => !indexes.ContainsKey(k)))
            errors.Add(new ImportIssue(UnknownReference, $"{ImportEnvironmentOptions.MapName} names environment '{name}', which the document does not have.", ""));
        foreach (var name in (options.Environments ?? []).Distinct(StringComparer.Ordinal).Where(n => !indexes.ContainsKey(n)))
            errors.Add(new ImportIssue(UnknownReference, $"{ImportEnvironmentOptions.EnvironmentsName} names environment '{name}', which the document does not have.", ""));
        foreach (var (source, target) in map.Where(p => !ImportValidator.IsUsableName(p.Value)))
            errors.Add(new ImportIssue(InvalidName, $"{ImportEnvironmentOptions.MapName} maps '{source}' to an invalid name: a target must be 1 to {ImportValidator.MaxNameLength} characters, not blank, without control characters.", ""));

        var selected = options.Environments?.ToHashSet(StringComparer.Ordinal);
        var kept = Enumerable.Range(0, document.Environments.Count).Where(i => selected?.Contains(document.Environments[i].Settings.Name) ?? true).ToArray();
        // Every name the import ends up with, by how it looks: equal or lookalike names would be merged or told apart by accident.
        var byFold = new Dictionary<string, (string Source, string Target)>(StringComparer.Ordinal);
        foreach (var i in kept)
        {
            var source = document.Environments[i].Settings.Name;
            var target = map.GetValueOrDefault(source, source);
            if (!ImportValidator.IsUsableName(target)) continue;
            if (byFold.TryGetValue(NameFolding.Fold(target), out var first))
            {
                errors.Add(new ImportIssue(first.Target == target ? DuplicateName : LookalikeName,
                    $"Environments '{first.Source}' and '{source}' would both be imported as {(first.Target == target ? $"'{target}'" : $"'{first.Target}' and '{target}', names that differ only by Unicode normalization or invisible characters")}; map them to different names.",
                    $"/environments/{i}/name"));
                continue;
            }
            byFold.Add(NameFolding.Fold(target), (source, target));
        }
        if (errors.Count > 0) return (null, errors);
        var warnings = Enumerable.Range(0, document.Environments.Count).Except(kept).Select(i => new ImportIssue(NotSelected,
            $"Environment '{document.Environments[i].Settings.Name}' is not in '{ImportEnvironmentOptions.EnvironmentsName}'; nothing of it is imported.", $"/environments/{i}"));
        return (new ImportEnvironmentSelection(options, kept, warnings.ToList()), []);
    }

    /// <summary>Drops the environments not selected from the document and renames the mapped ones; returns the same document.</summary>
    public ImportDocument Apply(ImportDocument document)
    {
        if (TakesAll) return document;
        var kept = _documentIndexes.Select(i => document.Environments[i]).ToList();
        foreach (var environment in kept)
        {
            if (Options.EnvironmentMap is { } map && map.TryGetValue(environment.Settings.Name, out var target)) environment.Settings.Name = target;
        }
        document.Environments = kept;
        return document;
    }

    /// <summary>An issue of the planned (selected) document with its path put back onto the uploaded document's.</summary>
    public ImportIssue ToDocumentPath(ImportIssue issue)
    {
        const string prefix = "/environments/";
        if (TakesAll || !issue.Path.StartsWith(prefix, StringComparison.Ordinal)) return issue;
        var end = issue.Path.IndexOf('/', prefix.Length);
        var digits = end < 0 ? issue.Path[prefix.Length..] : issue.Path[prefix.Length..end];
        return int.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index) && index < _documentIndexes.Length
            ? new ImportIssue(issue.Code, issue.Message, prefix + _documentIndexes[index] + (end < 0 ? "" : issue.Path[end..]))
            : issue;
    }
}
