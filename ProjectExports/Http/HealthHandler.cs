using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using ProjectExports.Storage;

namespace ProjectExports.Http;

/// <summary>GET /api/health: 200 when storage answers, 503 otherwise. Needs no credentials; says nothing about data.</summary>
public sealed class HealthHandler(StorageClients clients, StorageInitializer initializer, ILogger<HealthHandler> logger)
{
    public Task<IResult> CheckAsync(HttpRequest request) => HttpHandling.GuardAsync(logger, async () =>
    {
        var cancellationToken = request.HttpContext.RequestAborted;
        await initializer.EnsureCreatedAsync(cancellationToken);
        // One single-row page proves the table service answers and the app may read it.
        var query = clients.Tables.GetTableClient(StorageNames.ExportsTable)
            .QueryAsync<Azure.Data.Tables.TableEntity>(maxPerPage: 1, select: ["PartitionKey"], cancellationToken: cancellationToken);
        await foreach (var _ in query.AsPages())
        {
            break;
        }
        return Results.Json(new HealthReport("healthy"), ApiJsonContext.Default.HealthReport);
    });
}
