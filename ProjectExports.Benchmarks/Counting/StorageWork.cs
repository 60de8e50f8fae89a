namespace ProjectExports.Benchmarks.Counting;

/// <summary>The storage-work table printed under each timing table.</summary>
public static class StorageWork
{
    public static void Print(string what, IEnumerable<(string Size, StorageCounts Counts)> rows)
    {
        Console.WriteLine($"Storage work per {what} (table {Storage.StorageNames.ProjectConfigurationTable}, counted on the app's table clients):");
        Console.WriteLine($"{"size",-4} {"requests",9} {"query pages",12} {"point reads",12} {"transactions",13} {"single writes",14} {"entities read",14} {"entities written",17}");
        foreach (var (size, c) in rows)
        {
            Console.WriteLine($"{size,-4} {c.Requests,9:N0} {c.QueryPages,12:N0} {c.PointReads,12:N0} {c.Transactions,13:N0} {c.SingleWrites,14:N0} {c.EntitiesRead,14:N0} {c.EntitiesWritten,17:N0}");
        }
    }
}
