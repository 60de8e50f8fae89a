using Azure;
using Azure.Data.Tables;
using ProjectExports.Storage;

namespace ProjectExports.Security;

/// <summary>
/// Project-admin grants in table <c>projectgrants</c>: PartitionKey = project id, RowKey = kind + ':' + hex of
/// the principal id (user ids from other issuers may hold characters Table Storage forbids in keys), so
/// "is this caller admin of this project" is one point read and a project's grants are one partition.
/// </summary>
public sealed class ProjectGrantStore(StorageClients clients, TimeProvider time)
{
    private TableClient Table => clients.Tables.GetTableClient(StorageNames.ProjectGrantsTable);

    public async Task AddAsync(string projectId, PrincipalKind kind, string principalId, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(projectId, RowKey(kind, principalId)) { ["Role"] = "admin", ["CreatedAt"] = time.GetUtcNow() };
        await Table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    public async Task RemoveAsync(string projectId, PrincipalKind kind, string principalId, CancellationToken cancellationToken)
    {
        await Table.DeleteEntityAsync(projectId, RowKey(kind, principalId), ETag.All, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> IsAdminAsync(string projectId, PrincipalKind kind, string principalId, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(projectId, RowKey(kind, principalId), select: ["RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue;
    }

    /// <summary>
    /// A page of the ids of the projects the principal is admin of, in id order, after the id <paramref name="after"/>.
    /// The table is keyed by project, so this filters every grant; there are as many as operators made, not many.
    /// </summary>
    public async Task<TablePage<string>> ListProjectsAsync(PrincipalKind kind, string principalId, string? after, int limit, CancellationToken cancellationToken)
    {
        var rowKey = RowKey(kind, principalId);
        var filter = after is null
            ? TableClient.CreateQueryFilter($"RowKey eq {rowKey}")
            : TableClient.CreateQueryFilter($"RowKey eq {rowKey} and PartitionKey gt {after}");
        var projects = new List<string>(limit);
        await foreach (var row in Table.QueryAsync<TableEntity>(filter, maxPerPage: limit + 1, select: ["PartitionKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (projects.Count == limit)
            {
                return new TablePage<string>(projects, projects[^1]);
            }
            projects.Add(row.PartitionKey);
        }
        return new TablePage<string>(projects, null);
    }

    /// <summary>Every grant, or one project's grants.</summary>
    public async Task<IReadOnlyList<ProjectGrant>> ListAsync(string? projectId, CancellationToken cancellationToken)
    {
        var grants = new List<ProjectGrant>();
        var rows = projectId is null
            ? Table.QueryAsync<TableEntity>(cancellationToken: cancellationToken)
            : Table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {projectId}"), cancellationToken: cancellationToken);
        await foreach (var row in rows.ConfigureAwait(false))
        {
            var separator = row.RowKey.IndexOf(':', StringComparison.Ordinal);
            var kind = row.RowKey[..separator] == "apikey" ? PrincipalKind.ApiKey : PrincipalKind.User;
            grants.Add(new ProjectGrant(row.PartitionKey, kind, TableKeys.FromOrderedHex(row.RowKey[(separator + 1)..]), row.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.MinValue));
        }
        return grants;
    }

    private static string RowKey(PrincipalKind kind, string principalId)
    {
        if (string.IsNullOrEmpty(principalId))
        {
            throw new ArgumentException("A grant needs a user id or API key id.", nameof(principalId));
        }
        return TableKeys.RequireKey((kind == PrincipalKind.ApiKey ? "apikey:" : "user:") + TableKeys.OrderedHex(principalId), "The grant's principal id");
    }
}
