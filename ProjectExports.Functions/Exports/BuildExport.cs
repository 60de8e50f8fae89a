using Azure.Storage.Queues.Models;
using Microsoft.Azure.Functions.Worker;
using ProjectExports.Exports;
using ProjectExports.Jobs;
using ProjectExports.Storage;

namespace ProjectExports.Functions.Exports;

public sealed class BuildExport(JobRunner<ExportRecord> exports)
{
    [Function("BuildExport")]
    public Task Run(
        [QueueTrigger(StorageNames.ExportQueue, Connection = StorageNames.ConnectionSetting)] QueueMessage message,
        CancellationToken cancellationToken) =>
        exports.HandleMessageAsync(message.MessageText, message.DequeueCount, cancellationToken);
}
