using System.Text;
using Azure.Core;
using Microsoft.Extensions.DependencyInjection;
using ProjectExports.Projects;
using ProjectExports.Storage;
using ProjectExports.Tests.Infrastructure;

namespace ProjectExports.Tests.Projects;

/// <summary>
/// Rows written a partition's run at a time as they come (<see cref="ProjectRowWrites"/>, an import's plan as it
/// downloads), on real Azurite: the order that keeps references whole, a partition's runs in order, what is read back,
/// and a failure reaching the caller as itself.
/// </summary>
public sealed class ProjectRowWritesTests(LocalHostFixture host) : IClassFixture<LocalHostFixture>
{
    /// <summary>Records when each transaction of one partition's client starts and ends, or fails the first one.</summary>
    private sealed class Transactions(string label, List<string> events, bool failFirst = false, Task? held = null) : TransactionPolicy
    {
        private int _failed;

        protected override async ValueTask ProcessTransactionAsync(HttpMessage message, Func<ValueTask> send)
        {
            if (failFirst && Interlocked.Exchange(ref _failed, 1) == 0) throw new IOException($"The first transaction of {label} failed.");
            lock (events) events.Add($"start {label}");
            if (held is not null) await held;
            await send();
            lock (events) events.Add($"end {label}");
        }
    }

    private static byte[] Json(string value) => Encoding.UTF8.GetBytes($"{{\"value\":\"{value}\"}}");

    private sealed record Written(List<string> Events, List<(ProjectRow Row, byte[]? Stored)> ReadBack);

    /// <summary>A writer whose partitions each go through a client labelled with the partition's suffix ("project" for the project's own).</summary>
    private ProjectRowWrites Writes(string projectId, Written written, int places = 2, string? failing = null, (string Label, Task Until)? hold = null)
    {
        PagedPartition Partition(string partitionKey)
        {
            var label = partitionKey == projectId ? "project" : partitionKey[(projectId.Length + 1)..];
            return new PagedPartition(host.ProjectTableWith(new Transactions(label, written.Events, failFirst: label == failing, held: hold is { } h && h.Label == label ? h.Until : null)), partitionKey);
        }
        return new ProjectRowWrites(projectId, Partition, places, null, (rows, stored, _) =>
        {
            lock (written.ReadBack) written.ReadBack.AddRange(rows.Select(r => (r, stored[r.RowKey])));
            return ValueTask.CompletedTask;
        });
    }

    private static string NewProjectId() => $"rw-{Guid.NewGuid():N}"[..30];

    [Fact]
    public async Task The_projects_own_upserts_wait_for_the_runs_before_them_and_hold_back_those_after_and_its_deletes_go_last()
    {
        var projectId = NewProjectId();
        var store = host.Services.GetRequiredService<ProjectStore>();
        await store.WriteRowsAsync(projectId, [new ProjectRow(projectId, "feature:old", Json("old"))], static (_, _, _) => ValueTask.CompletedTask, CancellationToken.None);
        var written = new Written([], []);

        await using (var writes = Writes(projectId, written))
        {
            await writes.WriteAsync($"{projectId}:e1", [new($"{projectId}:e1", "state:a", Json("a1"))], CancellationToken.None);
            await writes.WriteAsync(projectId, [new(projectId, "feature:a", Json("a")), new(projectId, "feature:old", null)], CancellationToken.None);
            await writes.WriteAsync($"{projectId}:e2", [new($"{projectId}:e2", "state:a", Json("a2"))], CancellationToken.None);
            await writes.CompleteAsync(CancellationToken.None);
        }

        Assert.Equal(["start e1", "end e1", "start project", "end project", "start e2", "end e2", "start project", "end project"], written.Events);
        Assert.All(written.ReadBack, r => Assert.Equal(r.Row.Json, r.Stored));
        Assert.Equal(["feature:a", "feature:old", "state:a", "state:a"], written.ReadBack.Select(r => r.Row.RowKey).Order(StringComparer.Ordinal));
        var now = await store.ReadRowsAsync(
            [new(projectId, "feature:a"), new(projectId, "feature:old"), new($"{projectId}:e1", "state:a"), new($"{projectId}:e2", "state:a")], CancellationToken.None);
        Assert.Equal(3, now.Count);
        Assert.False(now.ContainsKey(new ProjectRowKey(projectId, "feature:old")));
    }

    [Fact]
    public async Task A_partitions_later_run_is_written_after_its_earlier_one_and_a_key_given_twice_keeps_its_last()
    {
        var projectId = NewProjectId();
        var partition = $"{projectId}:e1";
        var written = new Written([], []);

        await using (var writes = Writes(projectId, written, places: 4))
        {
            await writes.WriteAsync(partition, [new(partition, "state:a", Json("first")), new(partition, "state:b", Json("b"))], CancellationToken.None);
            await writes.WriteAsync(partition, [new(partition, "state:a", Json("second")), new(partition, "state:a", Json("third"))], CancellationToken.None);
            await writes.CompleteAsync(CancellationToken.None);
        }

        Assert.Equal(["start e1", "end e1", "start e1", "end e1"], written.Events);
        var now = await host.Services.GetRequiredService<ProjectStore>().ReadRowsAsync([new(partition, "state:a"), new(partition, "state:b")], CancellationToken.None);
        Assert.Equal(Json("third"), now[new(partition, "state:a")]);
        Assert.Equal(Json("b"), now[new(partition, "state:b")]);
        Assert.Equal(3, written.ReadBack.Count);
    }

    [Fact]
    public async Task A_run_waits_for_a_place_so_the_caller_reads_no_further_while_the_runs_in_flight_write()
    {
        var projectId = NewProjectId();
        var written = new Written([], []);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        await using (var writes = Writes(projectId, written, places: 1, hold: ("e1", release.Task)))
        {
            try
            {
                await writes.WriteAsync($"{projectId}:e1", [new($"{projectId}:e1", "state:a", Json("a"))], CancellationToken.None);
                var second = writes.WriteAsync($"{projectId}:e2", [new($"{projectId}:e2", "state:a", Json("a"))], CancellationToken.None);

                // Once e1's transaction is sent and held, taking e2 still waits for e1's place: no second run is held meanwhile.
                bool Sent() { lock (written.Events) return written.Events.Contains("start e1"); }
                var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
                while (!Sent() && DateTime.UtcNow < deadline) await Task.Delay(5);
                Assert.True(Sent());
                Assert.False(second.IsCompleted);
                release.SetResult();
                await second.WaitAsync(TimeSpan.FromSeconds(30));
                await writes.CompleteAsync(CancellationToken.None);
            }
            finally
            {
                // A failed assertion must not leave the held transaction (and the writer's disposal) waiting for ever.
                release.TrySetResult();
            }
        }

        Assert.Equal(["start e1", "end e1", "start e2", "end e2"], written.Events);
    }

    [Fact]
    public async Task A_run_that_fails_stops_the_writes_and_its_own_error_reaches_the_caller()
    {
        var projectId = NewProjectId();
        var written = new Written([], []);

        var error = await Assert.ThrowsAsync<IOException>(async () =>
        {
            await using var writes = Writes(projectId, written, places: 1, failing: "e1");
            await writes.WriteAsync($"{projectId}:e1", [new($"{projectId}:e1", "state:a", Json("a"))], CancellationToken.None);
            // One place: this waits for e1's, which failed; the caller hears why, not that it was cancelled.
            await writes.WriteAsync($"{projectId}:e2", [new($"{projectId}:e2", "state:a", Json("a"))], CancellationToken.None);
            await writes.CompleteAsync(CancellationToken.None);
        });

        Assert.Equal("The first transaction of e1 failed.", error.Message);
        Assert.DoesNotContain("start e2", written.Events);
        Assert.Empty(written.ReadBack);
    }
}
