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
    public static ImportCheck Read(ImportUpload upload)
    {
        var (json, parseError) = ImportDocumentParser.Parse(upload);
        if (json is null)
        {
            return new ImportCheck([parseError!], [], null, null);
        }
        var errors = new ImportIssueList();
        var warnings = new ImportIssueList();
        new ImportShapeChecker(errors, warnings).CheckDocument(json);
        if (errors.Count > 0)
        {
            return new ImportCheck(errors, warnings, null, null);
        }
        ImportDocument document;
        try
        {
            document = JsonSerializer.Deserialize(json, ImportContract.Document)!;
        }
        catch (JsonException e)
        {
            // Not expected (the shape checks are the deserializer's own); a 400 saying where, should the two ever differ.
            return new ImportCheck([new ImportIssue(WrongType, $"The document cannot be read: {e.Message}", "")], warnings, null, null);
        }
        ImportValidator.Validate(document, errors, warnings);
        return errors.Count > 0
            ? new ImportCheck(errors, warnings, null, null)
            : new ImportCheck(errors, warnings, document, json) { JsonHash = SHA256.HashData(json) };
    }
}
