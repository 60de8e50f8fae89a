using Grpc.Core;
using ProjectExports.Tests.FunctionsHost.Rpc;

namespace ProjectExports.Tests.FunctionsHost;

/// <summary>The host's gRPC service, which the worker connects to: one event stream, served by the channel.</summary>
internal sealed class FunctionRpcService(WorkerChannel channel) : FunctionRpc.FunctionRpcBase
{
    public override Task EventStream(IAsyncStreamReader<StreamingMessage> requestStream, IServerStreamWriter<StreamingMessage> responseStream, ServerCallContext context) =>
        channel.ServeAsync(requestStream, responseStream, context.CancellationToken);
}
