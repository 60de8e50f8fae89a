using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ProjectExports.Imports;
using ProjectExports.Imports.Review;
using ProjectExports.Projects;
using ProjectExports.Storage;
using ProjectExports.Tests.Infrastructure;

namespace ProjectExports.Tests.Imports;

/// <summary>
/// An import's review and snapshot are megabytes for a large project. Serialized to bytes before their upload, each
/// grew a buffer from the shared pool past its own size, and the pool kept those buffers on every thread that returned
/// one: after a burst of large imports, tens of MB the process held on to. Compressed as they are recorded (the review)
/// or as they go up (the snapshot), none is that large.
/// </summary>
[Collection(PoolWatchingCollection.Name)]
public sealed class ImportBlobBufferTests(LocalHostFixture host) : IClassFixture<LocalHostFixture>
{
    // Above the 1 MiB blocks the blob client buffers an upload in, below the stored JSON's size.
    private const int LargeBufferBytes = 2 * 1024 * 1024;

    [Fact]
    public async Task A_large_review_is_stored_without_a_buffer_of_its_size_and_downloads_whole()
    {
        var projectId = await host.CreateEmptyProjectAsync();
        var importId = NewestFirstIds.New(DateTimeOffset.UtcNow);
        var entries = Enumerable.Range(0, 30_000)
            .Select(i => ImportPlanEntry.Of(new ProjectEntityRef("identity_override", $"feature-{i % 500}", "Production", Identifier: $"user-{i}@example.com"), "create"))
            .ToList();
        var plans = host.Services.GetRequiredService<ImportPlanStore>();
        using (var returns = new SharedPoolReturns(LargeBufferBytes))
        {
            using var writer = new ImportReviewWriter(keepAll: true);
            entries.ForEach(writer.Add);
            var plan = new ImportPlan { Id = new string('a', 64), Stored = BinaryData.FromBytes([0]), StoredReview = writer.Complete(new string('a', 64)) };
            await plans.SaveAsync(projectId, importId, plan, CancellationToken.None);
            Assert.Empty(returns.Sizes);
        }

        await using var review = (await plans.OpenReviewAsync(projectId, importId, CancellationToken.None))!;
        var json = await JsonSerializer.DeserializeAsync<JsonElement>(review);
        Assert.Equal(entries.Count, json.GetProperty("total").GetInt32());
        var stored = json.GetProperty("entries");
        Assert.Equal(entries.Count, stored.GetArrayLength());
        Assert.Equal("user-29999@example.com", stored[entries.Count - 1].GetProperty("identifier").GetString());
    }

    [Fact]
    public async Task A_large_snapshot_is_stored_without_a_buffer_of_its_size_and_reads_back_as_stored()
    {
        var projectId = await host.CreateEmptyProjectAsync();
        var importId = NewestFirstIds.New(DateTimeOffset.UtcNow);
        var befores = Enumerable.Range(0, 40).ToDictionary(
            i => new ProjectRowKey($"{projectId}-env", $"row-{i:D3}"),
            i => Encoding.UTF8.GetBytes($$"""{"id":{{i}},"value":"{{new string((char)('a' + i % 26), 100_000)}}"}"""));
        var snapshots = host.Services.GetRequiredService<ImportSnapshotStore>();
        using (var returns = new SharedPoolReturns(LargeBufferBytes))
        {
            Assert.Same(befores, await snapshots.SaveBeforesOnceAsync(projectId, importId, befores, CancellationToken.None));
            Assert.Empty(returns.Sizes);
        }

        // Stored once: a second delivery gets the stored rows back, not its own.
        var stored = await snapshots.SaveBeforesOnceAsync(projectId, importId, new Dictionary<ProjectRowKey, byte[]>(), CancellationToken.None);
        Assert.Equal(befores.Keys.OrderBy(k => k.RowKey), stored.Keys.OrderBy(k => k.RowKey));
        Assert.All(befores, b => Assert.Equal(b.Value, stored[b.Key]));
    }
}
