using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using ProjectExports.Jobs;
using ProjectExports.Projects;
using ProjectExports.Security;
using ProjectExports.Storage;

namespace ProjectExports.Imports;

/// <summary>Accepts validated import documents (stored, recorded, audited, queued) and dry-runs them.</summary>
public sealed class ImportRequests(
    JobRequests<ImportRecord> jobs,
    ImportTargets targets,
    StorageClients clients,
    TimeProvider time)
{
    private BlobContainerClient Container => clients.Blobs.GetBlobContainerClient(StorageNames.ImportContainer);

    public async Task<ImportRecord> RequestAsync(
        string projectId, JsonObject document, long sizeBytes, ImportStrategy strategy, Caller caller, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var record = new ImportRecord
        {
            Id = NewestFirstIds.New(now),
            Project = projectId,
            Strategy = strategy,
            CreatedAt = now,
            CreatedBy = caller.UserId,
            CreatedByApiKey = caller.ApiKeyId,
            SizeBytes = sizeBytes,
        };
        await jobs.SubmitAsync(record, token => StoreDocumentAsync(record, document, token), cancellationToken).ConfigureAwait(false);
        return record;
    }

    /// <summary>
    /// Stored as validated (YAML converted, "property" spelled "property_"), so the apply step reads plain JSON.
    /// Written as UTF-8 straight into one buffer of about the uploaded size: no whole-document string beside it.
    /// </summary>
    private async Task StoreDocumentAsync(ImportRecord record, JsonObject document, CancellationToken cancellationToken)
    {
        var json = new ArrayBufferWriter<byte>((int)Math.Clamp(record.SizeBytes, 256, Array.MaxLength));
        await using (var writer = new Utf8JsonWriter(json))
        {
            document.WriteTo(writer);
        }
        await Container.GetBlobClient(record.DocumentBlobName).UploadAsync(
            BinaryData.FromBytes(json.WrittenMemory),
            new BlobUploadOptions
            {
                HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" },
                // In blocks, so that each call fits the request deadline (Storage:Requests) on a slower link too.
                TransferOptions = new StorageTransferOptions { InitialTransferSize = 1024 * 1024, MaximumTransferSize = 1024 * 1024, MaximumConcurrency = 4 },
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>What the import would do to the project now: its errors, or its warnings and summary; null when the project is gone. Writes nothing.</summary>
    public async Task<ImportValidation?> DryRunAsync(string projectId, ImportCheck check, ImportStrategy strategy, CancellationToken cancellationToken)
    {
        if (!check.IsValid)
        {
            return new ImportValidation(check.Errors, check.Warnings, null);
        }
        var target = await targets.LoadAsync(projectId, check.Document!, cancellationToken).ConfigureAwait(false);
        if (target is null)
        {
            return null;
        }
        var plan = ImportPlanner.Plan(check.Document!, target, strategy, time.GetUtcNow());
        try
        {
            ProjectStore.CheckChanges(plan.Changes);
        }
        catch (StorageLimitException e)
        {
            // The document's own size checks are estimates; the rows the import would write are the truth.
            return new ImportValidation([new ImportIssue(ImportIssueCodes.EntityTooLarge, e.Message, "")], check.Warnings, null);
        }
        return new ImportValidation([], ImportIssueList.Of(check.Warnings, plan.Warnings), plan.Summary); // capped: one warning per existing entity
    }
}
