using System.Text.Json.Serialization.Metadata;
using Azure.Data.Tables;

namespace ProjectExports.Storage;

/// <summary>
/// Stores a model in a table entity as its own JSON (UTF-8), split over binary properties because one
/// property holds at most 64 KiB and an entity at most 1 MiB. Larger models fail with a clear error.
/// </summary>
public static class JsonEntityCodec
{
    public const int ChunkBytes = 64 * 1024;
    public const int MaxChunks = 15; // 15 × 64 KiB plus keys and names stays under the 1 MiB entity limit.
    public const int MaxBytes = ChunkBytes * MaxChunks;

    private static readonly string[] ChunkNames = Enumerable.Range(0, MaxChunks).Select(i => i == 0 ? "Data" : $"Data{i}").ToArray();

    public static TableEntity ToEntity<T>(string partitionKey, string rowKey, T model, JsonTypeInfo<T> typeInfo, string what)
    {
        TableKeys.RequireKey(partitionKey, $"The partition key of {what}");
        TableKeys.RequireKey(rowKey, $"The row key of {what}");
        return ToEntity(partitionKey, rowKey, System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(model, typeInfo), what);
    }

    /// <summary>An entity holding JSON already serialized (a row kept as bytes, such as an import's snapshot of it).</summary>
    public static TableEntity ToEntity(string partitionKey, string rowKey, byte[] json, string what)
    {
        if (json.Length > MaxBytes)
        {
            throw new StorageLimitException(
                $"{what} is {json.Length:N0} bytes as JSON; Table Storage holds at most {MaxBytes:N0} bytes per entity. Shorten its text or split it.");
        }
        var entity = new TableEntity(partitionKey, rowKey);
        if (json.Length <= ChunkBytes)
        {
            entity[ChunkNames[0]] = json; // one chunk: the caller's array as it is, not a copy
            return entity;
        }
        for (int offset = 0, i = 0; offset < json.Length; offset += ChunkBytes, i++)
        {
            entity[ChunkNames[i]] = json.AsSpan(offset, Math.Min(ChunkBytes, json.Length - offset)).ToArray();
        }
        return entity;
    }

    public static T FromEntity<T>(TableEntity entity, JsonTypeInfo<T> typeInfo) =>
        Decode($"Entity {entity.PartitionKey}/{entity.RowKey}", JsonOf(entity), typeInfo);

    /// <summary>The JSON an entity holds, exactly as stored.</summary>
    public static byte[] JsonOf(TableEntity entity)
    {
        var first = entity.GetBinary(ChunkNames[0])
            ?? throw new StoredDataException($"Entity {entity.PartitionKey}/{entity.RowKey} has no Data property.");
        return entity.ContainsKey(ChunkNames[1]) ? Concatenate(entity, first) : first;
    }

    /// <summary>A model from the JSON of a row read by <see cref="TableRowReader"/>.</summary>
    public static T FromJson<T>(string rowKey, ReadOnlySpan<byte> json, JsonTypeInfo<T> typeInfo) => Decode($"Table row {rowKey}", json, typeInfo);

    private static T Decode<T>(string row, ReadOnlySpan<byte> json, JsonTypeInfo<T> typeInfo)
    {
        try
        {
            return System.Text.Json.JsonSerializer.Deserialize(json, typeInfo) ?? throw new StoredDataException($"{row} holds null.");
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new StoredDataException($"{row} is not a readable {typeof(T).Name}: {e.Message}", e);
        }
    }

    private static byte[] Concatenate(TableEntity entity, byte[] first)
    {
        using var buffer = new MemoryStream(first.Length * 2);
        buffer.Write(first);
        for (var i = 1; i < MaxChunks && entity.GetBinary(ChunkNames[i]) is { } chunk; i++)
        {
            buffer.Write(chunk);
        }
        return buffer.ToArray();
    }
}
