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
    /// <see cref="Read"/> on a thread of its own that ends with it. Parsing rents a buffer larger than the document from
    /// ArrayPool.Shared (JsonDocument's metadata) and gives it back on the reading thread, where the pool keeps one per
    /// thread and size until a later full GC trims it; read on pool threads, a 9 MB document left 16 MB on each thread
    /// that had read one, still held a minute after the last import. Here that buffer goes with the thread.
    /// </summary>
    public static Task<ImportCheck> ReadOnOwnThreadAsync(ImportUpload upload)
    {
        var check = new TaskCompletionSource<ImportCheck>(TaskCreationOptions.RunContinuationsAsynchronously);
        new Thread(() =>
        {
            try
            {
                check.SetResult(Read(upload));
            }
            catch (Exception e)
            {
                check.SetException(e);
            }
        }) { IsBackground = true, Name = "import document reader" }.Start();
        return check.Task;
    }

    public static ImportCheck Read(ImportUpload upload)
    {
        var (json, parsed, parseError) = ImportDocumentParser.Parse(upload);
        if (parseError is not null)
        {
            return new ImportCheck([parseError], [], null, null);
        }
        var errors = new ImportIssueList();
        var warnings = new ImportIssueList();
        using (parsed)
        {
            new ImportShapeChecker(errors, warnings).CheckDocument(parsed!.RootElement);
        }
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
        return errors.Count > 0 ? new ImportCheck(errors, warnings, null, null) : new ImportCheck(errors, warnings, document, json);
    }
}
