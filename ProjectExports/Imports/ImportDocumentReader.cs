using System.Security.Cryptography;
using System.Text.Json;
using static ProjectExports.Imports.ImportIssueCodes;

namespace ProjectExports.Imports;

/// <summary>
/// Reads an uploaded document once: parsed (<see cref="ImportDocumentParser"/>), its shape checked in one place
/// (<see cref="ImportShapeChecker"/>), read into the models in one pass (<see cref="ImportContract"/>), then its meaning
/// checked (<see cref="ImportValidator"/>). The meaning is checked only on a document of the right shape, whose every
/// name and reference can be read; every problem of each kind is reported at once.
/// </summary>
public static class ImportDocumentReader
{
    /// <summary>
    /// The document checked. A document of the right shape is hashed and compressed (as an import stores it), each
    /// environment's sections are kept apart, compressed (<see cref="ImportEnvironmentSections"/>), and the upload's
    /// bytes are released before any model is read. The rest is read into the models; an environment's sections are
    /// read only while it is checked, and again while it is planned. A large document's bytes as sent (9 MB for L) and
    /// its models are never held at once, nor all its environments' models.
    /// </summary>
    /// <param name="bytesReleased">Called once the upload's bytes are released, before the models are read (a large document's collection, <see cref="ImportAdmission.CollectAfterLargeStep"/>).</param>
    public static ImportCheck Read(ImportUpload upload, Action? bytesReleased = null)
    {
        var errors = new ImportIssueList();
        var warnings = new ImportIssueList();
        if (CheckShape(upload, errors, warnings) is not { } shaped)
        {
            return new ImportCheck(errors, warnings, null);
        }
        bytesReleased?.Invoke();
        ImportDocument document;
        try
        {
            using (SharedStringConverter.Scope())
            {
                document = JsonSerializer.Deserialize(shaped.Others, ImportContract.Document)!;
            }
            for (var i = 0; i < document.Environments.Count; i++) document.Environments[i].StoredSections = shaped.Sections[i];
            ImportValidator.Validate(document, errors, warnings);
        }
        catch (JsonException e)
        {
            // Not expected (the shape checks are the deserializer's own); a 400 saying where, should the two ever differ.
            return new ImportCheck([new ImportIssue(WrongType, $"The document cannot be read: {e.Message}", "")], warnings, null);
        }
        return errors.Count > 0
            ? new ImportCheck(errors, warnings, null)
            : new ImportCheck(errors, warnings, document) { JsonHash = shaped.Hash, CompressedJson = shaped.Compressed };
    }

    /// <summary>A document of the right shape: its JSON hashed and compressed, and split (<see cref="ImportEnvironmentSections.Split"/>).</summary>
    private sealed record Shaped(byte[] Hash, BinaryData Compressed, byte[] Others, List<BinaryData> Sections);

    /// <summary>
    /// Parses and checks the shape, in a method of its own so that nothing here holds the JSON once it returns: for a
    /// document of the right shape, what <see cref="Shaped"/> holds, the upload's bytes released; else null.
    /// </summary>
    private static Shaped? CheckShape(ImportUpload upload, ImportIssueList errors, ImportIssueList warnings)
    {
        var (json, parseError) = ImportDocumentParser.Parse(upload);
        if (json is null)
        {
            errors.Add(parseError!);
            return null;
        }
        new ImportShapeChecker(errors, warnings).CheckDocument(json);
        if (errors.Count > 0) return null;
        var (others, sections) = ImportEnvironmentSections.Split(json);
        var shaped = new Shaped(SHA256.HashData(json), ImportBlobs.Compress(json), others, sections);
        upload.ReleaseBytes();
        return shaped;
    }
}
