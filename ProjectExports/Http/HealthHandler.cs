using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using ProjectExports.Storage;

namespace ProjectExports.Http;

/// <summary>
/// GET /api/health: 200 when storage answers, 503 otherwise, within <see cref="StorageOptions.HealthTimeout"/> so a
/// probe learns of a hanging account before it gives up itself (the failure becomes the 503 in <see cref="ApiGate"/>).
/// Needs no credentials; says nothing about data.
/// </summary>
public sealed class HealthHandler(StorageClients clients, IOptions<StorageOptions> options)
{
    public async Task<IResult> CheckAsync(HttpRequest request)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(request.HttpContext.RequestAborted);
        deadline.CancelAfter(options.Value.HealthTimeout);
        var cancellationToken = deadline.Token;
        // One single-row page proves the table service answers and the app may read it.
        var query = clients.Tables.GetTableClient(StorageNames.ExportsTable)
            .QueryAsync<Azure.Data.Tables.TableEntity>(maxPerPage: 1, select: ["PartitionKey"], cancellationToken: cancellationToken);
        await foreach (var _ in query.AsPages())
        {
            break;
        }
        return Results.Json(new HealthReport("healthy"), ApiJsonContext.Wire.HealthReport);
    }
}
