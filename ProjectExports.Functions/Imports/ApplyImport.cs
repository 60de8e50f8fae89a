using Azure.Storage.Queues.Models;
using Microsoft.Azure.Functions.Worker;
using ProjectExports.Imports;
using ProjectExports.Jobs;
using ProjectExports.Storage;

namespace ProjectExports.Functions.Imports;

public sealed class ApplyImport(JobRunner<ImportRecord> imports)
{
    [Function("ApplyImport")]
    public Task Run(
        [QueueTrigger(StorageNames.ImportQueue, Connection = StorageNames.ConnectionSetting)] QueueMessage message,
        CancellationToken cancellationToken) =>
        imports.HandleMessageAsync(message.MessageText, message.DequeueCount, cancellationToken);
}
