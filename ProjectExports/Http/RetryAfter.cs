using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace ProjectExports.Http;

/// <summary>
/// <c>Retry-After</c> (RFC 9110 §10.2.3) in delay-seconds on answers that mean "ask again shortly": a 202 whose
/// record is still PROCESSING, a download of an export that is not ready. It tells a poller how long to wait
/// instead of leaving it to guess (and hammer the service, or sleep far longer than needed).
/// </summary>
public static class RetryAfter
{
    /// <summary>Exports of typical projects finish in well under a second (the benchmark's figures), so one second is the first useful look.</summary>
    public static readonly TimeSpan ExportPoll = TimeSpan.FromSeconds(1);

    /// <summary>An import validates, plans and writes in batches after it is queued: a little longer than an export, so two seconds.</summary>
    public static readonly TimeSpan ImportPoll = TimeSpan.FromSeconds(2);

    /// <summary>The same answer with a <c>Retry-After</c> header.</summary>
    public static IResult With(IResult result, TimeSpan delay) => new Result(result, delay);

    public static void Set(HttpResponse response, TimeSpan delay) =>
        response.Headers.RetryAfter = ((long)Math.Ceiling(delay.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    private sealed class Result(IResult inner, TimeSpan delay) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            Set(httpContext.Response, delay);
            return inner.ExecuteAsync(httpContext);
        }
    }
}
