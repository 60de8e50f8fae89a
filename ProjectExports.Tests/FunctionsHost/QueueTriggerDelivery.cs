using System.Text;
using System.Text.Json;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Google.Protobuf;
using ProjectExports.Tests.FunctionsHost.Rpc;

namespace ProjectExports.Tests.FunctionsHost;

/// <summary>What became of one delivered message.</summary>
internal enum DeliveryOutcome
{
    Completed,
    /// <summary>The invocation failed; the message is visible again after the visibility timeout.</summary>
    Retried,
    /// <summary>Moved to <c>&lt;queue&gt;-poison</c>: undecodable, or failed on its last allowed delivery.</summary>
    Poisoned,
}

internal sealed record Delivery(DeliveryOutcome Outcome, long DequeueCount, InvocationResponse? Response);

/// <summary>
/// Plays the host's Storage Queues extension for a queue-triggered function, one message at a time: receives from
/// the real queue, decodes base64 (an undecodable message goes straight to poison), invokes the function with the
/// message as the SDK-type binding data the extension sends for a <c>QueueMessage</c> parameter, then deletes the
/// message, makes it visible again after host.json's visibilityTimeout, or moves it to poison after maxDequeueCount.
/// </summary>
internal sealed class QueueTriggerDelivery(FunctionsWorkerHost host, QueueServiceClient rawQueues, TimeSpan? visibilityTimeout = null)
{
    private static readonly TimeSpan InvocationTimeout = TimeSpan.FromSeconds(100);
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(10);

    /// <summary>Delivers the next visible message of the function's queue; null when the queue has none.</summary>
    public async Task<Delivery?> DeliverNextAsync(string functionName)
    {
        var function = host.Functions[functionName];
        var queueName = function.Property("queueName")!;
        var queue = rawQueues.GetQueueClient(queueName);
        QueueMessage[] received = (await queue.ReceiveMessagesAsync(1, Lease).ConfigureAwait(false)).Value;
        if (received.Length == 0)
        {
            return null;
        }
        var message = received[0];
        string text;
        try
        {
            text = Encoding.UTF8.GetString(Convert.FromBase64String(message.MessageText));
        }
        catch (FormatException)
        {
            await PoisonAsync(queue, message).ConfigureAwait(false);
            return new Delivery(DeliveryOutcome.Poisoned, message.DequeueCount, null);
        }

        var response = await host.InvokeAsync(functionName, [Binding(function.TriggerName, message, text)], Metadata(message, text), Guid.NewGuid().ToString(), InvocationTimeout).ConfigureAwait(false);
        if (response.Result.Status == StatusResult.Types.Status.Success)
        {
            await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt).ConfigureAwait(false);
            return new Delivery(DeliveryOutcome.Completed, message.DequeueCount, response);
        }
        if (message.DequeueCount >= host.HostJson.MaxDequeueCount)
        {
            await PoisonAsync(queue, message).ConfigureAwait(false);
            return new Delivery(DeliveryOutcome.Poisoned, message.DequeueCount, response);
        }
        await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: visibilityTimeout ?? host.HostJson.VisibilityTimeout).ConfigureAwait(false);
        return new Delivery(DeliveryOutcome.Retried, message.DequeueCount, response);
    }

    /// <summary>Delivers until the queue has no visible message, returning every delivery in order.</summary>
    public async Task<IReadOnlyList<Delivery>> DrainAsync(string functionName)
    {
        var deliveries = new List<Delivery>();
        while (await DeliverNextAsync(functionName).ConfigureAwait(false) is { } delivery)
        {
            deliveries.Add(delivery);
        }
        return deliveries;
    }

    private async Task PoisonAsync(QueueClient queue, QueueMessage message)
    {
        var poison = rawQueues.GetQueueClient(queue.Name + "-poison");
        await poison.CreateIfNotExistsAsync().ConfigureAwait(false);
        await poison.SendMessageAsync(message.MessageText).ConfigureAwait(false);
        await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt).ConfigureAwait(false);
    }

    private static ParameterBinding Binding(string name, QueueMessage message, string text)
    {
        var content = JsonSerializer.SerializeToUtf8Bytes(new
        {
            MessageId = message.MessageId,
            PopReceipt = message.PopReceipt,
            MessageText = text,
            DequeueCount = message.DequeueCount,
            InsertedOn = message.InsertedOn?.UtcDateTime,
            ExpiresOn = message.ExpiresOn?.UtcDateTime,
            NextVisibleOn = message.NextVisibleOn?.UtcDateTime,
        });
        return new ParameterBinding
        {
            Name = name,
            Data = new TypedData
            {
                ModelBindingData = new ModelBindingData
                {
                    Version = "1.0",
                    Source = "AzureStorageQueues",
                    ContentType = "application/json",
                    Content = ByteString.CopyFrom(content),
                },
            },
        };
    }

    private static Dictionary<string, TypedData> Metadata(QueueMessage message, string text) => new()
    {
        ["QueueTrigger"] = new TypedData { String = text },
        ["DequeueCount"] = new TypedData { Json = message.DequeueCount.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        ["Id"] = new TypedData { String = message.MessageId },
        ["PopReceipt"] = new TypedData { String = message.PopReceipt },
    };
}
