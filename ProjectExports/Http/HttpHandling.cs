using Azure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using ProjectExports.Storage;

namespace ProjectExports.Http;

/// <summary>What every handler does around its own work: storage outages become 503 problems and unreadable stored rows 409s, never 500s.</summary>
public static class HttpHandling
{
    public static async Task<IResult> GuardAsync(ILogger logger, Func<Task<IResult>> handle)
    {
        try
        {
            return await handle().ConfigureAwait(false);
        }
        catch (RequestFailedException e)
        {
            logger.LogError(e, "Storage request failed with status {Status} ({ErrorCode}).", e.Status, e.ErrorCode);
            return Problems.StorageUnavailable();
        }
        catch (AggregateException e) when (e.InnerExceptions.All(i => i is RequestFailedException))
        {
            logger.LogError(e, "Storage requests failed.");
            return Problems.StorageUnavailable();
        }
        catch (StoredDataException e)
        {
            logger.LogError(e, "Stored data could not be read: {Reason}", e.Message);
            return Problems.StoredDataUnreadable();
        }
    }
}
