using System.Collections.Concurrent;
using System.Threading.Channels;
using Grpc.Core;
using ProjectExports.Tests.FunctionsHost.Rpc;

namespace ProjectExports.Tests.FunctionsHost;

/// <summary>
/// The host's end of one worker's event stream: messages to send, and the worker's answers matched to the
/// requests that asked for them by <c>request_id</c> (the worker copies it into every response).
/// </summary>
internal sealed class WorkerChannel
{
    private const int KeptLogs = 400;
    private readonly Channel<StreamingMessage> _outgoing = Channel.CreateUnbounded<StreamingMessage>();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<StreamingMessage>> _pending = new();
    private readonly TaskCompletionSource<string> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Queue<string> _logs = new();
    private Exception? _closed;

    /// <summary>Completes with the worker id once the worker has opened the stream (StartStream).</summary>
    public Task<string> Started => _started.Task;

    /// <summary>Sends a request and waits for the response carrying its request id.</summary>
    public async Task<StreamingMessage> RequestAsync(StreamingMessage request, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        request.RequestId = Guid.NewGuid().ToString();
        var answer = new TaskCompletionSource<StreamingMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[request.RequestId] = answer;
        if (_closed is { } closed)
        {
            _pending.TryRemove(request.RequestId, out _);
            throw new InvalidOperationException("The worker's stream is closed.", closed);
        }
        await _outgoing.Writer.WriteAsync(request, cancellationToken).ConfigureAwait(false);
        try
        {
            return await answer.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The worker did not answer {request.ContentCase} within {timeout.TotalSeconds:0} s. Its last logs:{Environment.NewLine}{RecentLogs()}");
        }
        finally
        {
            _pending.TryRemove(request.RequestId, out _);
        }
    }

    public string RecentLogs()
    {
        lock (_logs)
        {
            return string.Join(Environment.NewLine, _logs);
        }
    }

    /// <summary>Runs one event stream until the worker closes it: answers go to their requests, logs are kept.</summary>
    public async Task ServeAsync(IAsyncStreamReader<StreamingMessage> fromWorker, IServerStreamWriter<StreamingMessage> toWorker, CancellationToken cancellationToken)
    {
        var writing = Task.Run(async () =>
        {
            await foreach (var message in _outgoing.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                await toWorker.WriteAsync(message, cancellationToken).ConfigureAwait(false);
            }
        }, cancellationToken);
        try
        {
            while (await fromWorker.MoveNext(cancellationToken).ConfigureAwait(false))
            {
                Receive(fromWorker.Current);
            }
            Close(new IOException("The worker closed its event stream."));
        }
        catch (Exception e)
        {
            Close(e);
        }
        await writing.ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
    }

    private void Receive(StreamingMessage message)
    {
        switch (message.ContentCase)
        {
            case StreamingMessage.ContentOneofCase.StartStream:
                _started.TrySetResult(message.StartStream.WorkerId);
                break;
            case StreamingMessage.ContentOneofCase.RpcLog:
                var log = message.RpcLog;
                Keep($"[{log.Level}] {log.Category}: {log.Message}{(log.Exception is { } e ? " " + e.Message : "")}");
                break;
            default:
                if (message.InvocationResponse is { Result.Status: not StatusResult.Types.Status.Success } failed)
                {
                    Keep($"[Invocation {failed.InvocationId} failed] {failed.Result.Exception?.Message}{Environment.NewLine}{failed.Result.Exception?.StackTrace}");
                }
                if (_pending.TryGetValue(message.RequestId, out var answer))
                {
                    answer.TrySetResult(message);
                }
                break;
        }
    }

    private void Close(Exception reason)
    {
        _closed = reason;
        _started.TrySetException(reason);
        foreach (var answer in _pending.Values)
        {
            answer.TrySetException(reason);
        }
        _outgoing.Writer.TryComplete();
    }

    private void Keep(string line)
    {
        lock (_logs)
        {
            _logs.Enqueue(line);
            if (_logs.Count > KeptLogs) _logs.Dequeue();
        }
    }
}
