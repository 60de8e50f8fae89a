namespace ProjectExports.Imports;

/// <summary>
/// The outcome of reading a document: every error and warning, and when it has no errors, the document read into
/// the models and its JSON (as uploaded, or converted from YAML) for storing.
/// </summary>
public sealed record ImportCheck(IReadOnlyList<ImportIssue> Errors, IReadOnlyList<ImportIssue> Warnings, ImportDocument? Document, byte[]? Json)
{
    public bool IsValid => Errors.Count == 0;
}
