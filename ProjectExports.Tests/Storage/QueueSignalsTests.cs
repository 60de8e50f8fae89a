using ProjectExports.LocalHost;
using ProjectExports.Tests.Imports;
using ProjectExports.Tests.Infrastructure;

namespace ProjectExports.Tests.Storage;

public sealed class QueueSignalsTests
{
    [Fact]
    public async Task A_signal_sent_before_the_wait_ends_it_at_once_and_several_count_as_one()
    {
        var signals = new QueueSignals();
        signals.MessageSent("a");
        signals.MessageSent("a");

        Assert.True(await signals.WaitAsync("a", TimeSpan.FromHours(1), CancellationToken.None));
        Assert.False(await signals.WaitAsync("a", TimeSpan.Zero, CancellationToken.None));
    }

    [Fact]
    public async Task A_signal_wakes_a_waiting_listener_of_its_own_queue_only()
    {
        var signals = new QueueSignals();
        var waitingA = signals.WaitAsync("a", TimeSpan.FromHours(1), CancellationToken.None);
        var waitingB = signals.WaitAsync("b", TimeSpan.FromHours(1), CancellationToken.None);

        signals.MessageSent("a");

        Assert.True(await waitingA.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.False(waitingB.IsCompleted);
        signals.MessageSent("b");
        Assert.True(await waitingB.WaitAsync(TimeSpan.FromSeconds(30)));
    }
}

/// <summary>
/// A LocalHost whose listeners, once they find their queue empty, would not poll again for an hour: exports and
/// imports created over its API still run at once, because creating one wakes the listener.
/// </summary>
public sealed class QueueWakeUpTests(QueueWakeUpTests.Fixture host) : IClassFixture<QueueWakeUpTests.Fixture>
{
    public sealed class Fixture : LocalHostFixture
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
        {
            ["Queue:MinPollingInterval"] = "01:00:00",
            ["Queue:MaxPollingInterval"] = "01:00:00",
        };
    }

    [Fact]
    public async Task Exports_and_imports_created_over_the_API_start_without_waiting_for_a_poll()
    {
        var project = await host.SeedProjectAsync();
        // One after another, so each is queued after the listener emptied the queue and began its hour-long wait.
        for (var i = 0; i < 3; i++)
        {
            var created = await host.CreateExportAsync(project.Project.Id);
            var done = await host.WaitForExportAsync(project.Project.Id, created.GetProperty("id").GetString()!, TimeSpan.FromSeconds(30));
            Assert.Equal("SUCCESS", done.GetProperty("status").GetString());
        }

        var document = await host.ExportDocumentAsync(project.Project.Id);
        for (var i = 0; i < 2; i++)
        {
            var imported = await host.ImportAndWaitAsync(await host.CreateEmptyProjectAsync(), document);
            Assert.Equal("SUCCESS", imported.GetProperty("status").GetString());
        }
    }
}
