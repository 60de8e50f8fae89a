using System.Diagnostics;
using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Logging;
using ProjectExports.Jobs;
using ProjectExports.Projects;
using ProjectExports.Storage;

namespace ProjectExports.Imports;

/// <summary>
/// The import's step: applies one import. The first delivery computes the plan against the project and stores it
/// (If-None-Match, so concurrent deliveries agree on one); every delivery applies the stored plan with upserts and
/// deletes by key, so a redelivery or a retry after a crash between two writes converges on the same state and
/// reports the same summary.
/// </summary>
public sealed class ImportApplier(
    ImportTargets targets,
    ProjectStore projects,
    ImportAdmission admission,
    StorageClients clients,
    TimeProvider time,
    ILogger<ImportApplier> logger)
    : IJobStep<ImportRecord>
{
    /// <summary>The progress phases of an apply: planning (no total yet), then rows written of the total.</summary>
    public const string Planning = "planning";
    public const string Applying = "applying";

    private BlobContainerClient Container => clients.Blobs.GetBlobContainerClient(StorageNames.ImportContainer);

    public async Task<ImportRecord> RunAsync(ImportRecord record, JobProgress<ImportRecord> progress, long dequeueCount, CancellationToken cancellationToken)
    {
        // The plan of a large document is held until its last write, so the whole apply takes a place.
        using var place = await admission.WaitForPlaceAsync(record.SizeBytes, cancellationToken).ConfigureAwait(false);
        var started = Stopwatch.GetTimestamp();
        await progress.ReportAsync(new ProcessingProgress(Planning, 0, null), cancellationToken).ConfigureAwait(false);
        var (plan, failure) = await LoadOrCreatePlanAsync(record, cancellationToken).ConfigureAwait(false);
        if (plan is null)
        {
            return record.Failed(failure!.Code, failure.Message, time.GetUtcNow());
        }
        var planned = Stopwatch.GetElapsedTime(started);
        await projects.ApplyChangesAsync(plan.Changes,
            (done, total, ct) => progress.ReportAsync(new ProcessingProgress(Applying, done, total), ct), cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Import {ImportId} of project {ProjectId}: planned in {PlanSeconds:F1} s, written in {WriteSeconds:F1} s.",
            record.Id, record.Project, planned.TotalSeconds, (Stopwatch.GetElapsedTime(started) - planned).TotalSeconds);
        return record.Succeeded(plan.Summary, time.GetUtcNow());
    }

    /// <summary>Storage limits are the user's to fix and say so plainly; other errors stay in the logs, not the API.</summary>
    public JobError GiveUp(Exception exception, long dequeueCount)
    {
        var cause = exception switch
        {
            StorageLimitException => $" ({exception.Message})",
            StoredDataException => " (part of the project's stored data cannot be read; the operator has the details in the logs)",
            _ => "",
        };
        return new JobError(ImportErrors.Failed, $"The import could not be applied after {dequeueCount} attempts{cause}. " +
            "Entities written before the failure stay; importing the same document again completes it.");
    }

    private async Task<(ImportPlan? Plan, JobError? Failure)> LoadOrCreatePlanAsync(ImportRecord record, CancellationToken cancellationToken)
    {
        var planBlob = Container.GetBlobClient(ImportBlobs.Plan(record.Project, record.Id));
        if (await DownloadAsync(planBlob, cancellationToken).ConfigureAwait(false) is { } stored)
        {
            return (ReadPlan(stored), null);
        }
        var bytes = await DownloadAsync(Container.GetBlobClient(record.DocumentBlobName), cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"The document of import {record.Id} is missing from blob storage.");
        var (root, parseError) = ImportDocumentParser.ParseJson(bytes.ToMemory().Span);
        var check = parseError is null ? ImportValidator.Validate(root) : null;
        if (check is not { IsValid: true })
        {
            var first = parseError ?? check!.Errors[0];
            return (null, new JobError(ImportErrors.InvalidDocument, $"The stored document is not valid: {first.Message} (at '{first.Path}')."));
        }
        var target = await targets.LoadAsync(record.Project, check.Document!, cancellationToken).ConfigureAwait(false);
        if (target is null)
        {
            return (null, new JobError(ImportErrors.ProjectMissing, "The project no longer exists."));
        }
        var plan = ImportPlanner.Plan(check.Document!, target, record.Strategy, record.CreatedAt);
        try
        {
            await planBlob.UploadAsync(BinaryData.FromBytes(JsonSerializer.SerializeToUtf8Bytes(plan, ImportPlanJsonContext.Default.ImportPlan)),
                new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } }, cancellationToken).ConfigureAwait(false);
            return (plan, null);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            // Another delivery stored its plan first: apply that one, so both write the same.
            var winner = await DownloadAsync(planBlob, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"The plan of import {record.Id} vanished after a conflicting write.");
            return (ReadPlan(winner), null);
        }
    }

    private static async Task<BinaryData?> DownloadAsync(BlobClient blob, CancellationToken cancellationToken)
    {
        try
        {
            return (await blob.DownloadContentAsync(cancellationToken).ConfigureAwait(false)).Value.Content;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    private static ImportPlan ReadPlan(BinaryData stored) =>
        JsonSerializer.Deserialize(stored.ToMemory().Span, ImportPlanJsonContext.Default.ImportPlan)
        ?? throw new InvalidDataException("A stored import plan holds null.");
}
