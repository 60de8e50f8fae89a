using System.Text;
using Azure.Core;
using Azure.Core.Pipeline;
using ProjectExports.Storage;

namespace ProjectExports.Tests.Infrastructure;

/// <summary>
/// Runs before each write the app sends to the project-configuration table (a transaction, or a single row), so a test
/// can hold a write or fail it between two real writes, as a process dying mid-apply would, against real storage.
/// Added to the app's table clients (<see cref="Registration"/>) ahead of their retries: a failure here is not retried
/// by the client but reaches the app, and a held write does not run out its deadline.
/// </summary>
public abstract class ProjectWritesPolicy : HttpPipelinePolicy
{
    private const string Table = "/" + StorageNames.ProjectConfigurationTable;

    public StoragePipelinePolicy Registration => new(StorageService.Tables, this);

    /// <summary>
    /// Before a write whose request (URI and body, which hold its rows' partition keys) is <paramref name="request"/>;
    /// see <see cref="Writes"/>. Throwing fails the write before it is sent.
    /// </summary>
    protected abstract ValueTask BeforeWriteAsync(string request, CancellationToken cancellationToken);

    /// <summary>Whether the write touches the project: every row of its configuration is in a partition its id begins.</summary>
    protected static bool Writes(string request, string projectId) => request.Contains(projectId, StringComparison.Ordinal);

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        // The app's writes are asynchronous; a synchronous one would slip past the test unseen.
        if (IsWrite(message.Request) && message.Request.Uri.Path.Contains(Table, StringComparison.Ordinal))
        {
            throw new NotSupportedException("A synchronous write of project configuration.");
        }
        ProcessNext(message, pipeline);
    }

    /// <summary>After a write of <paramref name="request"/> succeeded, before the app sees its answer: another writer racing the app.</summary>
    protected virtual ValueTask AfterWriteAsync(string request, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        var request = await ProjectWriteAsync(message);
        if (request is not null)
        {
            await BeforeWriteAsync(request, message.CancellationToken);
        }
        await ProcessNextAsync(message, pipeline);
        if (request is not null && message.Response.Status < 300)
        {
            await AfterWriteAsync(request, message.CancellationToken);
        }
    }

    /// <summary>The write's URI and body if it writes project configuration: to the table itself or in a transaction ($batch) of its rows.</summary>
    private static async ValueTask<string?> ProjectWriteAsync(HttpMessage message)
    {
        var request = message.Request;
        if (!IsWrite(request))
        {
            return null;
        }
        var body = "";
        if (request.Content is { } content)
        {
            // Request content is rewritable (the client's retries send it again), so reading it here changes nothing.
            using var buffer = new MemoryStream();
            await content.WriteToAsync(buffer, message.CancellationToken);
            body = Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        }
        var path = request.Uri.Path;
        var writesTable = path.Contains(Table, StringComparison.Ordinal)
            || (path.EndsWith("/$batch", StringComparison.Ordinal) && body.Contains(Table, StringComparison.Ordinal));
        return writesTable ? request.Uri + "\n" + body : null;
    }

    private static bool IsWrite(Request request) => request.Method != RequestMethod.Get && request.Method != RequestMethod.Head;
}
