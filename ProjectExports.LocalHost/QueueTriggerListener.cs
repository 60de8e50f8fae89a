using System.Buffers.Text;
using System.Text;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Options;
using ProjectExports.Exports;
using ProjectExports.Imports;
using ProjectExports.Jobs;
using ProjectExports.Storage;

namespace ProjectExports.LocalHost;

/// <summary>Runs export builds from the <c>project-exports</c> queue, as the Functions app's BuildExport does.</summary>
public sealed class ExportQueueListener(
    StorageClients clients, QueueSignals signals, JobRunner<ExportRecord> exports,
    IOptions<QueueListenerOptions> options, IOptions<JobOptions> jobOptions, ILogger<ExportQueueListener> logger)
    : QueueTriggerListener(StorageNames.ExportQueue, StorageNames.ExportPoisonQueue, exports.HandleMessageAsync, clients, signals, options, jobOptions, logger);

/// <summary>Applies imports from the <c>project-imports</c> queue, as the Functions app's ApplyImport does.</summary>
public sealed class ImportQueueListener(
    StorageClients clients, QueueSignals signals, JobRunner<ImportRecord> imports,
    IOptions<QueueListenerOptions> options, IOptions<JobOptions> jobOptions, ILogger<ImportQueueListener> logger)
    : QueueTriggerListener(StorageNames.ImportQueue, StorageNames.ImportPoisonQueue, imports.HandleMessageAsync, clients, signals, options, jobOptions, logger);

/// <summary>
/// Consumes a queue the way the Functions queue trigger does: base64 messages, handled in batches; a message that
/// is not base64 is moved to the poison queue at once, as it is; a failed message becomes visible again after
/// VisibilityTimeout, and once its dequeue count reaches MaxDequeueCount (host.json's maxDequeueCount, shared by
/// every queue) it is moved to the poison queue. An empty queue is polled less and less often, up to
/// MaxPollingInterval, but a message this process sends (see <see cref="QueueSignals"/>) ends the wait at once.
/// </summary>
public abstract class QueueTriggerListener(
    string queueName,
    string poisonQueueName,
    Func<string, long, CancellationToken, Task> handle,
    StorageClients clients,
    QueueSignals signals,
    IOptions<QueueListenerOptions> options,
    IOptions<JobOptions> jobOptions,
    ILogger logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Raw text, decoded here message by message, so one message that is not base64 cannot fail a whole batch.
        var queue = clients.RawQueues.GetQueueClient(queueName);
        var poison = clients.RawQueues.GetQueueClient(poisonQueueName);
        var settings = options.Value;
        var delay = settings.MinPollingInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var batch = await queue.ReceiveMessagesAsync(settings.BatchSize, settings.MessageLease, stoppingToken);
                if (batch.Value.Length == 0)
                {
                    // Back off while the queue is empty, like the Functions host, up to MaxPollingInterval, unless
                    // this process sends a message meanwhile.
                    var sent = await signals.WaitAsync(queueName, delay, stoppingToken);
                    delay = sent ? settings.MinPollingInterval : TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, settings.MaxPollingInterval.Ticks));
                    continue;
                }
                delay = settings.MinPollingInterval;
                await Task.WhenAll(batch.Value.Select(message => HandleAsync(queue, poison, message, stoppingToken)));
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Polling {Queue} failed; retrying.", queueName);
                await Task.Delay(settings.MaxPollingInterval, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private async Task HandleAsync(QueueClient queue, QueueClient poison, QueueMessage message, CancellationToken stoppingToken)
    {
        if (!Base64.IsValid(message.MessageText))
        {
            logger.LogError("Message {MessageId} is not base64; moving it to {Poison}.", message.MessageId, poisonQueueName);
            await MoveToPoisonAsync(queue, poison, message);
            return;
        }
        try
        {
            await handle(Encoding.UTF8.GetString(Convert.FromBase64String(message.MessageText)), message.DequeueCount, stoppingToken);
            await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, CancellationToken.None);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: the message reappears when its lease ends, as under the Functions host.
        }
        catch (Exception e)
        {
            if (message.DequeueCount >= jobOptions.Value.MaxDequeueCount)
            {
                logger.LogError(e, "Message {MessageId} failed {Count} times; moving it to {Poison}.", message.MessageId, message.DequeueCount, poisonQueueName);
                await MoveToPoisonAsync(queue, poison, message);
            }
            else
            {
                logger.LogWarning(e, "Message {MessageId} failed (delivery {Count}); retrying after {Delay}.", message.MessageId, message.DequeueCount, options.Value.VisibilityTimeout);
                await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: options.Value.VisibilityTimeout, cancellationToken: CancellationToken.None);
            }
        }
    }

    /// <summary>Copies the message's text as stored, as the host does, then removes it from its queue.</summary>
    private static async Task MoveToPoisonAsync(QueueClient queue, QueueClient poison, QueueMessage message)
    {
        await poison.SendMessageAsync(message.MessageText, CancellationToken.None);
        await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, CancellationToken.None);
    }
}
