namespace ProjectExports.Imports;

/// <summary>
/// The outcome of reading a document: every error and warning, and when it has no errors, the document read into
/// the models and its JSON (as uploaded, or converted from YAML) for storing.
/// </summary>
public sealed record ImportCheck(IReadOnlyList<ImportIssue> Errors, IReadOnlyList<ImportIssue> Warnings, ImportDocument? Document, byte[]? Json)
{
    public bool IsValid => Errors.Count == 0;

    /// <summary>SHA-256 of <see cref="Json"/>, taken when it was read: what a plan id is made from, so the JSON need not stay for it.</summary>
    public byte[]? JsonHash { get; init; }

    /// <summary>The JSON gzip-compressed, as an import stores it (<see cref="WithJsonCompressed"/>).</summary>
    public BinaryData? CompressedJson { get; init; }

    /// <summary>
    /// This check without its JSON: compressed for storing when <paramref name="store"/>, else dropped. So a large
    /// document's bytes as sent (9 MB for L) are not held while it is planned and stored; compressed, about a tenth.
    /// </summary>
    public ImportCheck WithJsonCompressed(bool store) =>
        this with { Json = null, CompressedJson = store && Json is not null ? ImportBlobs.Compress(Json) : null };
}
