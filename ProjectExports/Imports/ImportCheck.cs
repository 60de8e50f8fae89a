namespace ProjectExports.Imports;

/// <summary>
/// The outcome of reading a document: every error and warning, and when it has no errors, the document read into
/// the models and its JSON (as uploaded, or converted from YAML) compressed for storing.
/// </summary>
public sealed record ImportCheck(IReadOnlyList<ImportIssue> Errors, IReadOnlyList<ImportIssue> Warnings, ImportDocument? Document)
{
    public bool IsValid => Errors.Count == 0;

    /// <summary>SHA-256 of the document's JSON, taken when it was read: what a plan id is made from.</summary>
    public byte[]? JsonHash { get; init; }

    /// <summary>The document's JSON gzip-compressed (fastest): what the models are read from, and what an import stores (about a tenth of the JSON).</summary>
    public BinaryData? CompressedJson { get; init; }
}
