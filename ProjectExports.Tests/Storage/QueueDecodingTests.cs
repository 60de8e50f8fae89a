using Azure.Storage.Queues;
using ProjectExports.Storage;
using ProjectExports.Tests.Infrastructure;

namespace ProjectExports.Tests.Storage;

/// <summary>
/// A message that is not base64 goes straight to the poison queue, as stored, and does not hold up the messages
/// received with it: what the Functions host's queue extension does.
/// </summary>
public sealed class QueueDecodingTests(QueueDecodingTests.Fixture host) : IClassFixture<QueueDecodingTests.Fixture>
{
    /// <summary>
    /// The listener polls only when this process queues work, so the bad message waits for the export's message and
    /// both arrive in one batch; a failed message would stay hidden far longer than the test waits.
    /// </summary>
    public sealed class Fixture : LocalHostFixture
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
        {
            ["Queue:MinPollingInterval"] = "01:00:00",
            ["Queue:MaxPollingInterval"] = "01:00:00",
            ["Queue:VisibilityTimeout"] = "00:00:30",
        };
    }

    private QueueClient RawQueue(string name) => new(host.StorageConnectionString, name); // no message encoding: text as stored

    [Fact]
    public async Task A_message_that_is_not_base64_is_poisoned_at_once_and_the_rest_of_its_batch_runs()
    {
        var project = await host.SeedProjectAsync();
        const string undecodable = "{\"projectId\":\"not base64\"}";

        await RawQueue(StorageNames.ExportQueue).SendMessageAsync(undecodable);
        var created = await host.CreateExportAsync(project.Project.Id);

        var done = await host.WaitForExportAsync(project.Project.Id, created.GetProperty("id").GetString()!, TimeSpan.FromSeconds(10));
        Assert.Equal("SUCCESS", done.GetProperty("status").GetString());
        await LocalHostFixture.EventuallyAsync(async () =>
            (await RawQueue(StorageNames.ExportPoisonQueue).PeekMessagesAsync(32)).Value.Any(m => m.MessageText == undecodable),
            "the message is in the poison queue, unchanged", TimeSpan.FromSeconds(10));
        await LocalHostFixture.EventuallyAsync(async () => (await RawQueue(StorageNames.ExportQueue).GetPropertiesAsync()).Value.ApproximateMessagesCount == 0,
            "the export queue is empty", TimeSpan.FromSeconds(10));
    }
}
