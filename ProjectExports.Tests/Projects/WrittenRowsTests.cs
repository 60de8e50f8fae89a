using System.Text;
using Microsoft.Extensions.DependencyInjection;
using ProjectExports.Projects;
using ProjectExports.Storage;
using ProjectExports.Tests.Infrastructure;

namespace ProjectExports.Tests.Projects;

/// <summary>How an import checks what it wrote (<see cref="ProjectStore.ReadWrittenRowsAsync"/>), on real Azurite.</summary>
public sealed class WrittenRowsTests(LocalHostFixture host) : IClassFixture<LocalHostFixture>
{
    private static byte[] Json(string key, int bytes) => Encoding.UTF8.GetBytes($"{{\"key\":\"{key}\",\"pad\":\"{new string('p', bytes)}\"}}");

    [Fact]
    public async Task Rows_on_pages_as_written_are_confirmed_without_a_read_and_a_row_another_writer_changed_is_read()
    {
        var store = host.Services.GetRequiredService<ProjectStore>();
        var projectId = $"written-{Guid.NewGuid():N}"[..30];
        var environment = $"{projectId}:e1";
        var rows = Enumerable.Range(0, 400)
            .Select(i => new ProjectRow(i % 2 == 0 ? projectId : environment, $"row:{i:D3}", Json($"row:{i:D3}", 700)))
            .Append(new ProjectRow(environment, "row:gone", null))
            .ToList();
        var receipts = await store.WriteRowsAsync(projectId, rows, static (_, _, _) => ValueTask.CompletedTask, CancellationToken.None);
        // Another writer changes one row after the write.
        var changed = Json("someone else", 700);
        await new PagedPartition(host.Storage.Tables.GetTableClient(StorageNames.ProjectConfigurationTable), environment)
            .WriteAsync(new Dictionary<string, byte[]?> { ["row:201"] = changed }, CancellationToken.None);

        var found = await store.ReadWrittenRowsAsync(rows, receipts, CancellationToken.None);

        Assert.Equal(changed, found[new(environment, "row:201")]);
        Assert.Null(found[new(environment, "row:gone")]);
        // Confirmed rows are the written arrays themselves: nothing was read for them. Those sharing a page with
        // row:201 were read (a page of about 60 KiB holds some 80 of these rows), and hold what was written.
        var confirmed = rows.Where(r => r.Json is not null && ReferenceEquals(r.Json, found[r.Key])).ToList();
        Assert.InRange(confirmed.Count, 400 - 100, 399);
        Assert.All(rows.Where(r => r.Json is not null && r.RowKey != "row:201"), r => Assert.Equal(r.Json, found[r.Key]));
        Assert.DoesNotContain(confirmed, r => r.RowKey == "row:201");
    }
}
