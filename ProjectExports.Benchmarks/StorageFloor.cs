using System.Diagnostics;
using System.Text;
using Azure.Data.Tables;
using Azure.Storage.Blobs.Specialized;
using ProjectExports.Exports;
using ProjectExports.Projects;
using ProjectExports.Storage;

namespace ProjectExports.Benchmarks;

/// <summary>The partitions one export of a project reads.</summary>
public sealed record SeededProject(string Size, string ProjectId, IReadOnlyList<string> EnvironmentIds, string OneEnvironment)
{
    public IEnumerable<string> StatePartitions => EnvironmentIds.SelectMany(e => new[]
    {
        ProjectStore.EnvironmentPartition(ProjectId, e),
        ProjectStore.IdentityPartition(ProjectId, e),
    });
}

/// <summary>
/// What an export costs at the least: bare Azure SDK calls that read the same partitions with the same queries
/// (entities received, nothing deserialized into models) and upload the same number of bytes in blocks of the same
/// size with the same number in flight. The project partition comes first, as it names the environments; the
/// other partitions are read concurrently with the pipeline's bound; the upload follows the reads.
/// </summary>
public sealed class StorageFloor(StorageClients clients)
{
    private readonly byte[] _block = CreateBlock();

    /// <returns>The time, and the bytes the SDK allocated doing it (for comparison with the export's allocations).</returns>
    public async Task<(TimeSpan Elapsed, long AllocatedBytes)> MeasureAsync(SeededProject project, long bytes, CancellationToken cancellationToken)
    {
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var table = clients.Tables.GetTableClient(StorageNames.ProjectConfigurationTable);
        var stopwatch = Stopwatch.StartNew();
        await ReadPartitionAsync(table, project.ProjectId, cancellationToken);
        await Parallel.ForEachAsync(project.StatePartitions,
            new ParallelOptions { MaxDegreeOfParallelism = ExportDocumentWriter.MaxConcurrentReads, CancellationToken = cancellationToken },
            async (partition, token) => await ReadPartitionAsync(table, partition, token));
        var blob = await UploadAsync(bytes, cancellationToken);
        var elapsed = stopwatch.Elapsed;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        await blob.DeleteAsync(cancellationToken: cancellationToken);
        return (elapsed, allocated);
    }

    private static async Task ReadPartitionAsync(TableClient table, string partitionKey, CancellationToken cancellationToken)
    {
        await foreach (var page in table.QueryAsync<TableEntity>(ProjectStore.PartitionFilter(partitionKey), cancellationToken: cancellationToken).AsPages())
        {
            _ = page.Values.Count;
        }
    }

    private async Task<BlockBlobClient> UploadAsync(long bytes, CancellationToken cancellationToken)
    {
        var blob = clients.Blobs.GetBlobContainerClient(StorageNames.ExportContainer).GetBlockBlobClient($"floor/{Guid.NewGuid():N}.bin");
        var blockIds = new List<string>();
        var inFlight = new Queue<Task>();
        for (long offset = 0; offset < bytes; offset += _block.Length)
        {
            if (inFlight.Count >= ExportBlobStream.MaxBlocksInFlight)
            {
                await inFlight.Dequeue();
            }
            var blockId = Convert.ToBase64String(Encoding.ASCII.GetBytes($"{blockIds.Count:D6}"));
            blockIds.Add(blockId);
            var length = (int)Math.Min(_block.Length, bytes - offset);
            inFlight.Enqueue(blob.StageBlockAsync(blockId, new MemoryStream(_block, 0, length, writable: false), cancellationToken: cancellationToken));
        }
        await Task.WhenAll(inFlight);
        await blob.CommitBlockListAsync(blockIds, cancellationToken: cancellationToken);
        return blob;
    }

    private static byte[] CreateBlock()
    {
        var block = new byte[ExportBlobStream.BlockBytes];
        new Random(1).NextBytes(block);
        return block;
    }
}
