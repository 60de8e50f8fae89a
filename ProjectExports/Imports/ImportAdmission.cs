using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using ProjectExports.Http;

namespace ProjectExports.Imports;

/// <summary>
/// The one gate in front of everything that holds an import document or its plan (create, validate, and the apply
/// step). Reading, validating and planning a large document costs a few hundred MB while it runs, so only
/// <see cref="ImportOptions.MaxConcurrentLargeDocuments"/> large documents are handled at once; the rest are
/// refused with 503, a Retry-After header and problem <c>too_busy</c>, their bodies never kept.
/// </summary>
public sealed class ImportAdmission(IOptions<ImportOptions> options) : IDisposable
{
    public const string TooBusyCode = "too_busy";

    private readonly SemaphoreSlim permits = new(options.Value.MaxConcurrentLargeDocuments);

    public async Task<IResult> AdmitAsync(HttpRequest request, Func<Task<IResult>> handle)
    {
        // A body of unknown length (chunked) may be as large as the limit, so it counts as large.
        if (request.ContentLength is { } length && length <= options.Value.LargeDocumentBytes)
        {
            return await handle().ConfigureAwait(false);
        }
        if (!permits.Wait(0))
        {
            return await RefuseAsync(request).ConfigureAwait(false);
        }
        try
        {
            return await handle().ConfigureAwait(false);
        }
        finally
        {
            Release(permits, options.Value.MaxConcurrentLargeDocuments);
        }
    }

    /// <summary>
    /// Gives a place back. When the last large document is done, the few hundred MB it cost are garbage: an aggressive,
    /// compacting collection returns them to the operating system now, instead of the process keeping its peak.
    /// </summary>
    private static void Release(SemaphoreSlim permits, int places)
    {
        if (permits.Release() + 1 == places)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static _ => GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true), null);
        }
    }

    /// <summary>Whether a document of this many bytes is large: held to the places of <see cref="ImportOptions.MaxConcurrentLargeDocuments"/>, and collected after (<see cref="CollectAfterLargeStep"/>).</summary>
    public bool IsLarge(long documentBytes) => documentBytes > options.Value.LargeDocumentBytes;

    /// <summary>
    /// For a large document, after a step lets go of a large part of it: the document's bytes once compressed, an
    /// environment's models once its rows are stored, a partition's run once written. What was live through the
    /// collections running meanwhile (the models, the Tables client's transaction buffers) has reached the oldest
    /// generation, where it piles up until a full collection (40 to 80 MB over an L import); a full, non-compacting
    /// collection returns it at once. The work streams, so what it returns is garbage, not data that grows with the document.
    /// </summary>
    public static void CollectAfterLargeStep() => GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: false);

    private async Task<IResult> RefuseAsync(HttpRequest request)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(options.Value.BusyRetryAfter.TotalSeconds));
        RetryAfter.Set(request.HttpContext.Response, TimeSpan.FromSeconds(seconds));
        // A client that did not wait for 100-continue is still sending: the body is read past (not kept), or the
        // server would close the connection under it and the client would see a reset instead of this answer.
        if (!request.Headers.Expect.ToString().Contains("100-continue", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                await ImportUploads.DrainAsync(request.Body, options.Value.MaxDocumentBytes + 64 * 1024, request.HttpContext.RequestAborted).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or BadHttpRequestException or OperationCanceledException)
            {
                // The client went away or sent more than any document may be: it gets the answer if it still listens.
            }
        }
        return Problems.Create(StatusCodes.Status503ServiceUnavailable, TooBusyCode, "Too many large imports at once.",
            $"{options.Value.MaxConcurrentLargeDocuments} large import documents are being handled already; nothing was kept or written. Retry after {seconds} s.");
    }

    /// <summary>
    /// For the apply step (a queue message, no caller to answer): waits for a place instead of refusing, so the
    /// documents parsed at once stay within the same limit whether they arrive over HTTP or from the queue.
    /// </summary>
    public async Task<IDisposable?> WaitForPlaceAsync(long documentBytes, CancellationToken cancellationToken)
    {
        if (!IsLarge(documentBytes))
        {
            return null;
        }
        await permits.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Place(permits, options.Value.MaxConcurrentLargeDocuments);
    }

    public void Dispose() => permits.Dispose();

    private sealed class Place(SemaphoreSlim permits, int places) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) Release(permits, places);
        }
    }
}
