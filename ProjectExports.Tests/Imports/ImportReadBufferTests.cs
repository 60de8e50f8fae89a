using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using System.Net;
using System.Text;
using ProjectExports.Tests.Infrastructure;

namespace ProjectExports.Tests.Imports;

/// <summary>Alone: it watches the process-wide array pool, which tests running beside it would use too.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PoolWatchingCollection
{
    public const string Name = "watches the shared array pool";
}

/// <summary>
/// ArrayPool.Shared keeps a returned array on the returning thread until a later full GC trims it. Parsing a large
/// document rents a buffer larger than the document, so if that buffer came back on pool threads, each of them would
/// keep one (16 MB for a 9 MB document) long after the last import; it must come back on a thread that then ends.
/// </summary>
[Collection(PoolWatchingCollection.Name)]
public sealed class ImportReadBufferTests(LocalHostFixture host) : IClassFixture<LocalHostFixture>
{
    // Over 4 MB: below that the parser starts from a 1 MB buffer and grows it, above it rents one the document's size.
    private const int DocumentBytes = 5_000_000;

    [Theory]
    [InlineData("/validate")]
    [InlineData("")]
    public async Task A_large_documents_parse_buffer_is_not_given_back_on_a_pool_thread(string suffix)
    {
        var projectId = await host.CreateEmptyProjectAsync();
        var document = ImportDocuments.Valid + new string(' ', DocumentBytes - Encoding.UTF8.GetByteCount(ImportDocuments.Valid));
        using var returns = new LargeReturns(minimumBytes: DocumentBytes);

        using var response = await host.PostImportAsync(projectId, document, suffix: suffix);

        Assert.Equal(suffix == "" ? HttpStatusCode.Accepted : HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(returns.OnPoolThreads);
        Assert.NotEmpty(returns.OnOtherThreads); // the parse buffer was seen, so the line above checked something
    }

    /// <summary>Buffers of at least <c>minimumBytes</c> returned to ArrayPool&lt;byte&gt;.Shared, by the kind of thread that returned them.</summary>
    private sealed class LargeReturns(int minimumBytes) : EventListener
    {
        private const int BufferReturnedEventId = 3;
        private readonly int _sharedPoolId = ArrayPool<byte>.Shared.GetHashCode();

        public ConcurrentBag<int> OnPoolThreads { get; } = [];
        public ConcurrentBag<int> OnOtherThreads { get; } = [];

        protected override void OnEventSourceCreated(EventSource eventSource)
        {
            if (eventSource.Name == "System.Buffers.ArrayPoolEventSource") EnableEvents(eventSource, EventLevel.Verbose);
        }

        // In-process listeners are called on the thread that raised the event: here, the thread returning the buffer.
        protected override void OnEventWritten(EventWrittenEventArgs e)
        {
            if (e.EventId != BufferReturnedEventId || e.Payload is not [_, int size, int poolId] || size < minimumBytes || poolId != _sharedPoolId) return;
            (Thread.CurrentThread.IsThreadPoolThread ? OnPoolThreads : OnOtherThreads).Add(size);
        }
    }
}
