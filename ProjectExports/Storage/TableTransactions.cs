using Azure.Data.Tables;

namespace ProjectExports.Storage;

/// <summary>How Table Storage bounds a transaction: one partition, at most 100 operations and 4 MiB of request.</summary>
public static class TableTransactions
{
    public const int MaxOperations = 100;
    public const long MaxPayloadBytes = 3 * 1024 * 1024; // under the service's 4 MiB, with room for the envelope

    /// <summary>What an entity adds to a transaction's request, generously: binary goes as base64, text as UTF-16 at worst.</summary>
    public static long PayloadBytes(ITableEntity entity) =>
        1024 + 2L * (entity.PartitionKey.Length + entity.RowKey.Length)
        + (entity is TableEntity properties
            ? properties.Sum(p => 64 + 2L * p.Key.Length + p.Value switch { byte[] b => (b.Length + 2) / 3 * 4, string t => 2L * t.Length, _ => 64 })
            : 0);
}
