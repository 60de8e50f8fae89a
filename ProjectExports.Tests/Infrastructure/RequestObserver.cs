using Azure.Core;
using Azure.Core.Pipeline;

namespace ProjectExports.Tests.Infrastructure;

/// <summary>A pipeline policy that sees each request the client sends, before it goes on unchanged: what a test counts or records.</summary>
public abstract class RequestObserver : HttpPipelinePolicy
{
    protected abstract void Observe(Request request);

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Observe(message.Request);
        ProcessNext(message, pipeline);
    }

    public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Observe(message.Request);
        return ProcessNextAsync(message, pipeline);
    }
}
