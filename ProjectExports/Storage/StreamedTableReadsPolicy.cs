using Azure.Core;
using Azure.Core.Pipeline;

namespace ProjectExports.Storage;

/// <summary>
/// Keeps table reads from copying response bodies, in two ways:
/// <list type="bullet">
/// <item>Every successful GET is parsed by the Tables client straight from the network. By default the pipeline
/// first copies each body into a growing <see cref="MemoryStream"/>: for a page of 1,000 entities, megabytes of
/// large-object-heap garbage, which the client then copies again into its parser's pooled buffer.</item>
/// <item>A query made inside <see cref="TableRowReader"/>'s scope hands its body to that reader, which decodes rows as
/// they arrive; the client is then given an empty page and follows the continuation headers as usual. So paging,
/// authentication and retries stay the client's, and a page never exists as entities at all.</item>
/// </list>
/// Error bodies are still buffered, because the client reads them more than once to build its exception.
/// </summary>
/// <remarks>
/// Added per call, outside the retry policy: retries on status codes work as before. A connection lost while a body is
/// being read fails the read instead of being retried by the client; reads are idempotent and their callers (queue
/// builds, imports) are retried by the queue.
/// </remarks>
internal sealed class StreamedTableReadsPolicy : HttpPipelinePolicy
{
    /// <summary>The message property that carries a <see cref="ITableQueryBodySink"/> (see <see cref="HttpPipeline.CreateHttpMessagePropertiesScope"/>).</summary>
    internal const string SinkProperty = "ProjectExports.TableQueryBodySink";

    private static readonly byte[] EmptyPage = "{\"value\":[]}"u8.ToArray();

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        if (Sink(message) is not null)
        {
            throw new NotSupportedException("Streamed table queries are asynchronous only.");
        }
        Prepare(message);
        ProcessNext(message, pipeline);
        if (IsUnbufferedError(message) && message.Response.ContentStream is { } body and not MemoryStream)
        {
            var buffered = new MemoryStream();
            body.CopyTo(buffered);
            body.Dispose();
            buffered.Position = 0;
            message.Response.ContentStream = buffered;
        }
    }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Prepare(message);
        await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
        if (message.BufferResponse || message.Response.ContentStream is not { } body || body is MemoryStream)
        {
            return;
        }
        if (message.Response.Status == 200 && Sink(message) is { } sink)
        {
            await using (body.ConfigureAwait(false))
            {
                await sink.ReadAsync(body, message.CancellationToken).ConfigureAwait(false);
            }
            message.Response.ContentStream = new MemoryStream(EmptyPage, writable: false);
        }
        else if (IsUnbufferedError(message))
        {
            var buffered = new MemoryStream();
            await body.CopyToAsync(buffered, message.CancellationToken).ConfigureAwait(false);
            await body.DisposeAsync().ConfigureAwait(false);
            buffered.Position = 0;
            message.Response.ContentStream = buffered;
        }
    }

    private static void Prepare(HttpMessage message)
    {
        if (message.Request.Method == RequestMethod.Get)
        {
            message.BufferResponse = false;
        }
    }

    /// <summary>Only entity queries (<c>/table()</c>) are handed to a sink; point reads and table listings are not.</summary>
    private static ITableQueryBodySink? Sink(HttpMessage message) =>
        message.Request.Method == RequestMethod.Get
        && message.Request.Uri.Path.EndsWith("()", StringComparison.Ordinal)
        && message.TryGetProperty(SinkProperty, out var value) ? value as ITableQueryBodySink : null;

    private static bool IsUnbufferedError(HttpMessage message) => !message.BufferResponse && message.Response.Status >= 300;
}

/// <summary>Takes a query's response body (status 200) while it arrives.</summary>
internal interface ITableQueryBodySink
{
    Task ReadAsync(Stream body, CancellationToken cancellationToken);
}
