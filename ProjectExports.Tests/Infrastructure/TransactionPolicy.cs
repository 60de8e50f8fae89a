using Azure.Core;
using Azure.Core.Pipeline;

namespace ProjectExports.Tests.Infrastructure;

/// <summary>A policy that sees only transactions ($batch requests), which the app sends asynchronously: a synchronous one fails the test.</summary>
public abstract class TransactionPolicy : HttpPipelinePolicy
{
    /// <summary>Around one transaction: <paramref name="send"/> sends it and waits for its answer.</summary>
    protected abstract ValueTask ProcessTransactionAsync(HttpMessage message, Func<ValueTask> send);

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
        throw new NotSupportedException("The writes under test are asynchronous.");

    public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
        message.Request.Uri.Path.EndsWith("$batch", StringComparison.Ordinal)
            ? ProcessTransactionAsync(message, () => ProcessNextAsync(message, pipeline))
            : ProcessNextAsync(message, pipeline);
}
