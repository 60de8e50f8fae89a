using Azure;
using Azure.Data.Tables;
using ProjectExports.Storage;

namespace ProjectExports.Security;

/// <summary>
/// API keys in table <c>apikeys</c> (one partition; RowKey = key id). A key is admin of every project
/// (<see cref="ApiKeyInfo.AllProjects"/>) or of the projects granted to it in <see cref="ProjectGrantStore"/>.
/// Revoked keys stay listed, so records and audit entries that name them can still be explained.
/// </summary>
public sealed class ApiKeyStore(StorageClients clients, TimeProvider time)
{
    private const string Partition = "key";

    private TableClient Table => clients.Tables.GetTableClient(StorageNames.ApiKeysTable);

    /// <summary>Stores the hash of <paramref name="key"/> under its id, replacing a key of the same id (and un-revoking it).</summary>
    public async Task<ApiKeyInfo> SaveAsync(string key, string name, bool allProjects, CancellationToken cancellationToken)
    {
        if (!ApiKeySecret.TryParse(key, out var keyId))
        {
            throw new ArgumentException(
                $"An API key must look like {ApiKeySecret.Prefix}<id>_<secret>: an id of {ApiKeySecret.IdRule} and a secret of at least 32 base64url characters.",
                nameof(key));
        }
        var info = new ApiKeyInfo(keyId, name, allProjects, time.GetUtcNow(), null);
        var entity = new TableEntity(Partition, keyId)
        {
            ["Hash"] = ApiKeySecret.Hash(key),
            ["Name"] = name,
            ["AllProjects"] = allProjects,
            ["CreatedAt"] = info.CreatedAt,
        };
        await Table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        return info;
    }

    /// <summary>The key's record when <paramref name="key"/> is a stored key (revoked or not); null otherwise.</summary>
    public async Task<ApiKeyInfo?> VerifyAsync(string key, CancellationToken cancellationToken)
    {
        if (!ApiKeySecret.TryParse(key, out var keyId))
        {
            return null;
        }
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(Partition, keyId, cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue && row.Value!.GetBinary("Hash") is { } hash && ApiKeySecret.Matches(key, hash) ? FromEntity(row.Value) : null;
    }

    /// <summary>Marks the key revoked; false when there is no such key.</summary>
    public async Task<bool> RevokeAsync(string keyId, CancellationToken cancellationToken)
    {
        if (!ApiKeySecret.IsValidId(keyId))
        {
            return false;
        }
        try
        {
            var entity = new TableEntity(Partition, keyId) { ["RevokedAt"] = time.GetUtcNow() };
            await Table.UpdateEntityAsync(entity, ETag.All, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return false;
        }
    }

    public async Task<IReadOnlyList<ApiKeyInfo>> ListAsync(CancellationToken cancellationToken)
    {
        var keys = new List<ApiKeyInfo>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition}");
        // The hash is never read back for listing.
        string[] columns = ["RowKey", "Name", "AllProjects", "CreatedAt", "RevokedAt"];
        await foreach (var row in Table.QueryAsync<TableEntity>(filter, select: columns, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            keys.Add(FromEntity(row));
        }
        return keys;
    }

    private static ApiKeyInfo FromEntity(TableEntity row) => new(
        row.RowKey,
        row.GetString("Name") ?? "",
        row.GetBoolean("AllProjects") ?? false,
        row.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.MinValue,
        row.GetDateTimeOffset("RevokedAt"));
}
