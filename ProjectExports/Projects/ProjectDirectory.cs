using Azure;
using Azure.Data.Tables;
using ProjectExports.Storage;

namespace ProjectExports.Projects;

/// <summary>
/// Every project, one row each, in table <c>projects</c> (one partition; RowKey = project id), so listing projects
/// is one paged partition query instead of a scan of the configuration table, whose project rows are scattered
/// over as many partitions as there are projects and environments. <see cref="ProjectStore"/> registers a project
/// whenever it saves or creates one.
/// </summary>
public sealed class ProjectDirectory(StorageClients clients, TimeProvider time)
{
    private const string Partition = "project";

    private TableClient Table => clients.Tables.GetTableClient(StorageNames.ProjectsTable);

    /// <summary>
    /// Lists the project, keeping the creation time of an earlier registration and taking the project's current
    /// name; registering again is harmless, so a create retried after a partial failure repairs the directory.
    /// </summary>
    public async Task<ProjectEntry> RegisterAsync(Project project, CancellationToken cancellationToken)
    {
        var entry = new ProjectEntry(project.Id, project.Name, time.GetUtcNow());
        try
        {
            await Table.AddEntityAsync(ToEntity(entry), cancellationToken).ConfigureAwait(false);
            return entry;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            var existing = await GetAsync(project.Id, cancellationToken).ConfigureAwait(false) ?? entry;
            if (existing.Name != project.Name)
            {
                await Table.UpdateEntityAsync(new TableEntity(Partition, project.Id) { ["Name"] = project.Name }, ETag.All, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
            }
            return existing with { Name = project.Name };
        }
    }

    public async Task<ProjectEntry?> GetAsync(string projectId, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(Partition, projectId, cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue ? FromEntity(row.Value!) : null;
    }

    /// <summary>A page of every project in id order, after the id <paramref name="after"/>.</summary>
    public async Task<TablePage<ProjectEntry>> ListAsync(string? after, int limit, CancellationToken cancellationToken)
    {
        return await TablePaging.ReadPageAsync(Table, Partition, after, limit, FromEntity, cancellationToken).ConfigureAwait(false);
    }

    private static TableEntity ToEntity(ProjectEntry entry) => new(Partition, TableKeys.RequireId(entry.Id, "Project id"))
    {
        ["Name"] = entry.Name,
        ["CreatedAt"] = entry.CreatedAt,
    };

    private static ProjectEntry FromEntity(TableEntity row) =>
        new(row.RowKey, row.GetString("Name") ?? "", row.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.MinValue);
}
