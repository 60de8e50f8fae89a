using Azure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using ProjectExports.Storage;

namespace ProjectExports.Http;

/// <summary>
/// What every handler does around its own work: its storage calls get the request deadlines (see
/// <see cref="StorageOptions.Requests"/>); a storage failure or timeout becomes a 503 problem and an unreadable
/// stored row a 409, never a 500.
/// </summary>
public static class HttpHandling
{
    public static async Task<IResult> GuardAsync(HttpRequest request, ILogger logger, Func<Task<IResult>> handle)
    {
        using var deadlines = StorageClients.BeginRequestScope();
        try
        {
            return await handle().ConfigureAwait(false);
        }
        catch (Exception e) when (IsStorageFailure(e, request.HttpContext.RequestAborted))
        {
            logger.LogError(e, "Storage did not answer in time or failed ({Reason}).", e.GetBaseException().Message);
            return Problems.StorageUnavailable();
        }
        catch (StoredDataException e)
        {
            logger.LogError(e, "Stored data could not be read: {Reason}", e.Message);
            return Problems.StoredDataUnreadable();
        }
        catch (BadHttpRequestException e)
        {
            // The web server gave up on the body (too slow 408, too large 413, badly framed 400): the client's
            // doing, in either host, so a problem answer and an Information line, not an unhandled exception.
            logger.LogInformation("Rejected a bad request ({Status}): {Reason}", e.StatusCode, e.Message);
            return Problems.BadHttpRequest(e.StatusCode, e.Message);
        }
    }

    /// <summary>
    /// A refused or failed storage call, one cut off by its network timeout or a handler's deadline (cancellation the
    /// caller did not ask for), or several such from parallel calls or the SDK's retries.
    /// </summary>
    private static bool IsStorageFailure(Exception e, CancellationToken aborted) => e switch
    {
        RequestFailedException => true,
        OperationCanceledException => !aborted.IsCancellationRequested,
        AggregateException a => a.InnerExceptions.Count > 0 && a.InnerExceptions.All(i => IsStorageFailure(i, aborted)),
        _ => false,
    };
}
