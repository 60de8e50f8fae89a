using System.IO.Compression;
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
    /// The document checked. A document of the right shape is hashed and compressed (as an import stores it), the
    /// upload's bytes are released, and the models are read from the compressed copy: so a large document's bytes as
    /// sent (9 MB for L) and its models (14 MB) are never held at once.
    /// </summary>
    /// <param name="bytesReleased">Called once the upload's bytes are released, before the models are read (a large document's collection, <see cref="ImportAdmission.CollectAfterLargeStep"/>).</param>
    public static ImportCheck Read(ImportUpload upload, Action? bytesReleased = null)
    {
        var errors = new ImportIssueList();
        var warnings = new ImportIssueList();
        if (CheckShape(upload, errors, warnings) is not var (hash, compressed))
        {
            return new ImportCheck(errors, warnings, null);
        }
        bytesReleased?.Invoke();
        ImportDocument document;
        try
        {
            using var json = new GZipStream(compressed.ToStream(), CompressionMode.Decompress);
            using var strings = SharedStringConverter.Scope();
            document = JsonSerializer.Deserialize(json, ImportContract.Document)!;
        }
        catch (JsonException e)
        {
            // Not expected (the shape checks are the deserializer's own); a 400 saying where, should the two ever differ.
            return new ImportCheck([new ImportIssue(WrongType, $"The document cannot be read: {e.Message}", "")], warnings, null);
        }
        ImportValidator.Validate(document, errors, warnings);
        return errors.Count > 0
            ? new ImportCheck(errors, warnings, null)
            : new ImportCheck(errors, warnings, document) { JsonHash = hash, CompressedJson = compressed };
    }

    /// <summary>
    /// Parses and checks the shape, in a method of its own so that nothing here holds the JSON once it returns: for a
    /// document of the right shape, its hash and its JSON compressed, the upload's bytes released; else null.
    /// </summary>
    private static (byte[] Hash, BinaryData Compressed)? CheckShape(ImportUpload upload, ImportIssueList errors, ImportIssueList warnings)
    {
        var (json, parseError) = ImportDocumentParser.Parse(upload);
        if (json is null)
        {
            errors.Add(parseError!);
            return null;
        }
        new ImportShapeChecker(errors, warnings).CheckDocument(json);
        if (errors.Count > 0) return null;
        var shaped = (SHA256.HashData(json), ImportBlobs.Compress(json));
        upload.ReleaseBytes();
        return shaped;
    }
}
