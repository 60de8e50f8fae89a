using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ProjectExports.Tests.FunctionsHost.Rpc;
using ProjectExports.Tests.Infrastructure;

namespace ProjectExports.Tests.FunctionsHost;

/// <summary>
/// The host's HTTP front for HTTP-triggered functions under the ASP.NET Core integration: it matches the request
/// to a function by method and route (host.json's routePrefix + the function's route), checks the function key
/// for non-anonymous functions, then sends the invocation on the event stream and forwards the request itself to
/// the worker's HTTP server with the invocation id header, and answers with the worker's response.
/// </summary>
internal sealed class HttpTriggerFront : IAsyncDisposable
{
    private static readonly TimeSpan InvocationTimeout = TimeSpan.FromSeconds(100);
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase) { "Transfer-Encoding", "Connection", "Keep-Alive", "Host" };
    private readonly FunctionsWorkerHost _host;
    private readonly HttpClient _toWorker = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { Timeout = Timeout.InfiniteTimeSpan };
    private readonly List<(LoadedFunction Function, TemplateMatcher Matcher)> _routes;
    private readonly WebApplication _app;

    private HttpTriggerFront(FunctionsWorkerHost host, string functionKey)
    {
        _host = host;
        FunctionKey = functionKey;
        _routes = [.. host.Functions.Values
            .Where(f => f.TriggerType == "httpTrigger")
            .Select(f => (f, new TemplateMatcher(TemplateParser.Parse(f.Property("route") ?? f.Name), [])))];
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.Run(HandleAsync);
    }

    /// <summary>The key a caller sends (<c>x-functions-key</c> or <c>?code=</c>) for functions whose authLevel is not anonymous.</summary>
    public string FunctionKey { get; }
    public Uri Address { get; private set; } = null!;

    public static async Task<HttpTriggerFront> StartAsync(FunctionsWorkerHost host, string functionKey)
    {
        var front = new HttpTriggerFront(host, functionKey);
        await front._app.StartAsync().ConfigureAwait(false);
        front.Address = front._app.ListeningAddress();
        return front;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var prefix = "/" + _host.HostJson.RoutePrefix;
        if (!context.Request.Path.StartsWithSegments(prefix, out var rest))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        var values = new RouteValueDictionary();
        var match = _routes.FirstOrDefault(r =>
            r.Function.Methods.Contains(context.Request.Method) && r.Matcher.TryMatch(rest, values = new RouteValueDictionary()));
        if (match.Function is null)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        if (!string.Equals(match.Function.Property("authLevel"), "Anonymous", StringComparison.OrdinalIgnoreCase) && !HasFunctionKey(context.Request))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        var invocationId = Guid.NewGuid().ToString();
        var trigger = new Dictionary<string, TypedData>();
        foreach (var (name, value) in values)
        {
            trigger[name] = new TypedData { String = value?.ToString() ?? "" };
        }
        var request = new ParameterBinding
        {
            Name = match.Function.TriggerName,
            Data = new TypedData { Http = new RpcHttp { Method = context.Request.Method, Url = context.Request.GetEncodedUrl() } },
        };
        var invocation = _host.InvokeAsync(match.Function.Name, [request], trigger, invocationId, InvocationTimeout);

        using var forwarded = Forward(context.Request, invocationId);
        using var abandon = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        var sending = _toWorker.SendAsync(forwarded, HttpCompletionOption.ResponseHeadersRead, abandon.Token);
        if (await Task.WhenAny(invocation, sending).ConfigureAwait(false) == invocation && (await invocation.ConfigureAwait(false)).Result.Status != StatusResult.Types.Status.Success)
        {
            // The host answers a failed invocation with a bare 500, whatever the worker's pipeline is doing.
            await abandon.CancelAsync().ConfigureAwait(false);
            await sending.ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            return;
        }
        using var response = await sending.ConfigureAwait(false);
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var header in response.Headers.Concat(response.Content.Headers).Where(h => !HopByHop.Contains(h.Key)))
        {
            context.Response.Headers[header.Key] = header.Value.ToArray();
        }
        await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
        await invocation.ConfigureAwait(false);
    }

    private bool HasFunctionKey(HttpRequest request) =>
        request.Headers["x-functions-key"].ToString() == FunctionKey || request.Query["code"].ToString() == FunctionKey;

    private HttpRequestMessage Forward(HttpRequest request, string invocationId)
    {
        var message = new HttpRequestMessage(new HttpMethod(request.Method), new Uri(_host.WorkerHttpUri, request.Path + request.QueryString));
        if (request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            message.Content = new StreamContent(request.Body);
        }
        foreach (var header in request.Headers.Where(h => !HopByHop.Contains(h.Key)))
        {
            if (!message.Headers.TryAddWithoutValidation(header.Key, header.Value.ToArray()))
            {
                message.Content?.Headers.TryAddWithoutValidation(header.Key, header.Value.ToArray());
            }
        }
        message.Headers.TryAddWithoutValidation("x-ms-invocation-id", invocationId);
        return message;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _toWorker.Dispose();
    }
}
