using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ProjectExports.Tests.FunctionsHost.Rpc;
using ProjectExports.Tests.Infrastructure;

namespace ProjectExports.Tests.FunctionsHost;

/// <summary>
/// Plays the Azure Functions host for the built worker: serves FunctionRpc on a free port, starts the worker
/// process pointed at it, completes the handshake (StartStream, WorkerInitRequest, FunctionsMetadataRequest,
/// FunctionLoadRequest) and then invokes functions on request. HTTP, queue and timer triggers are driven by
/// <see cref="HttpTriggerFront"/>, <see cref="QueueTriggerDelivery"/> and <see cref="FireTimerAsync"/>.
/// </summary>
internal sealed class FunctionsWorkerHost : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private readonly WorkerChannel _channel = new();
    private WebApplication? _server;
    private WorkerProcess? _worker;

    private FunctionsWorkerHost(string appDirectory, IReadOnlyDictionary<string, string> settings)
    {
        AppDirectory = appDirectory;
        Settings = settings;
        HostJson = HostJson.Read(Path.Combine(appDirectory, "host.json"));
    }

    public string AppDirectory { get; }
    public IReadOnlyDictionary<string, string> Settings { get; }
    public HostJson HostJson { get; }
    /// <summary>The worker's own HTTP server (the ASP.NET Core integration), which the host forwards requests to.</summary>
    public Uri WorkerHttpUri { get; private set; } = null!;
    public IReadOnlyDictionary<string, LoadedFunction> Functions { get; private set; } = new Dictionary<string, LoadedFunction>();
    public IReadOnlyDictionary<string, string> WorkerCapabilities { get; private set; } = new Dictionary<string, string>();

    /// <summary>Starts the worker with <paramref name="settings"/> as its app settings and loads every function it indexes.</summary>
    public static async Task<FunctionsWorkerHost> StartAsync(string appDirectory, IReadOnlyDictionary<string, string> settings)
    {
        var host = new FunctionsWorkerHost(appDirectory, settings);
        try
        {
            await host.StartCoreAsync().ConfigureAwait(false);
            return host;
        }
        catch
        {
            await host.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task StartCoreAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Listen(System.Net.IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc(grpc => grpc.MaxReceiveMessageSize = null);
        builder.Services.AddSingleton(_channel);
        _server = builder.Build();
        _server.MapGrpcService<FunctionRpcService>();
        await _server.StartAsync().ConfigureAwait(false);
        var endpoint = _server.ListeningAddress();

        var workerId = Guid.NewGuid().ToString();
        _worker = WorkerProcess.Start(AppDirectory, endpoint, workerId, Settings);
        try
        {
            await _channel.Started.WaitAsync(StartTimeout).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            throw new InvalidOperationException($"The worker did not open its event stream (exited: {_worker.HasExited}). Its output:{Environment.NewLine}{_worker.RecentOutput()}", e);
        }

        var init = await _channel.RequestAsync(new StreamingMessage
        {
            WorkerInitRequest = new WorkerInitRequest
            {
                HostVersion = "4.1040.0",
                WorkerDirectory = AppDirectory,
                FunctionAppDirectory = AppDirectory,
            },
        }, StartTimeout).ConfigureAwait(false);
        EnsureSuccess(init.WorkerInitResponse.Result, "WorkerInitRequest");
        WorkerCapabilities = new Dictionary<string, string>(init.WorkerInitResponse.Capabilities);
        WorkerHttpUri = new Uri(WorkerCapabilities.TryGetValue("HttpUri", out var httpUri)
            ? httpUri
            : throw new InvalidOperationException("The worker did not report an HttpUri capability: is ConfigureFunctionsWebApplication() called?"));

        var indexed = await _channel.RequestAsync(new StreamingMessage
        {
            FunctionsMetadataRequest = new FunctionsMetadataRequest { FunctionAppDirectory = AppDirectory },
        }, StartTimeout).ConfigureAwait(false);
        EnsureSuccess(indexed.FunctionMetadataResponse.Result, "FunctionsMetadataRequest");
        var functions = indexed.FunctionMetadataResponse.FunctionMetadataResults.Select(LoadedFunction.From).ToDictionary(f => f.Name);
        foreach (var function in functions.Values)
        {
            ResolveBindingExpressions(function);
            var loaded = await _channel.RequestAsync(new StreamingMessage
            {
                FunctionLoadRequest = new FunctionLoadRequest { FunctionId = function.Id, Metadata = function.ToLoadMetadata(AppDirectory) },
            }, StartTimeout).ConfigureAwait(false);
            EnsureSuccess(loaded.FunctionLoadResponse.Result, $"FunctionLoadRequest({function.Name})");
        }
        Functions = functions;
    }

    /// <summary>As the host's indexing does, a <c>%Setting%</c> in a trigger must name an app setting, or start-up fails.</summary>
    private void ResolveBindingExpressions(LoadedFunction function)
    {
        foreach (var property in function.Trigger.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String))
        {
            var value = property.Value.GetString()!;
            if (value.Length > 2 && value[0] == '%' && value[^1] == '%' && !Settings.ContainsKey(value[1..^1]))
            {
                throw new InvalidOperationException($"The function '{function.Name}' binds {property.Name} to '{value}', but no app setting '{value[1..^1]}' exists.");
            }
        }
    }

    /// <summary>Sends one invocation and waits for the worker's answer.</summary>
    public async Task<InvocationResponse> InvokeAsync(
        string functionName, IEnumerable<ParameterBinding> inputs, IReadOnlyDictionary<string, TypedData> triggerMetadata, string invocationId, TimeSpan timeout)
    {
        var function = Functions[functionName];
        var request = new InvocationRequest
        {
            InvocationId = invocationId,
            FunctionId = function.Id,
            // The host always sends the invocation's W3C trace context; the worker starts its activity from it.
            TraceContext = new RpcTraceContext { TraceParent = $"00-{Guid.NewGuid():N}-{Guid.NewGuid().ToString("N")[..16]}-01" },
        };
        request.InputData.AddRange(inputs);
        foreach (var (name, value) in triggerMetadata)
        {
            request.TriggerMetadata[name] = value;
        }
        var answer = await _channel.RequestAsync(new StreamingMessage { InvocationRequest = request }, timeout).ConfigureAwait(false);
        return answer.InvocationResponse;
    }

    /// <summary>Runs a timer-triggered function once, with the TimerInfo the Timer extension sends.</summary>
    public Task<InvocationResponse> FireTimerAsync(string functionName, TimeSpan timeout)
    {
        var function = Functions[functionName];
        var timerInfo = JsonSerializer.Serialize(new
        {
            Schedule = new { AdjustForDST = true },
            ScheduleStatus = new { Last = DateTime.UtcNow.AddHours(-1), Next = DateTime.UtcNow.AddHours(1), LastUpdated = DateTime.UtcNow },
            IsPastDue = false,
        });
        var input = new ParameterBinding { Name = function.TriggerName, Data = new TypedData { Json = timerInfo } };
        return InvokeAsync(functionName, [input], new Dictionary<string, TypedData>(), Guid.NewGuid().ToString(), timeout);
    }

    public string Diagnostics() =>
        $"Worker logs:{Environment.NewLine}{_channel.RecentLogs()}{Environment.NewLine}Worker output:{Environment.NewLine}{_worker?.RecentOutput()}";

    private void EnsureSuccess(StatusResult result, string step)
    {
        if (result.Status != StatusResult.Types.Status.Success)
        {
            throw new InvalidOperationException($"{step} failed: {result.Exception?.Message}{Environment.NewLine}{Diagnostics()}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_worker is not null)
        {
            await _worker.DisposeAsync().ConfigureAwait(false);
        }
        if (_server is not null)
        {
            await _server.StopAsync().ConfigureAwait(false);
            await _server.DisposeAsync().ConfigureAwait(false);
        }
    }
}
