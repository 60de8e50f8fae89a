using System.Net.Http.Json;
using System.Net;
using System.Text;
using ProjectExports.Imports;
using ProjectExports.Tests.Infrastructure;

namespace ProjectExports.Tests.Imports;

/// <summary>
/// The large-document gate in front of import create and validate: with room for one large document, a second is
/// refused with 503 too_busy and Retry-After while the first is being read; small documents are never held back.
/// </summary>
public sealed class ImportAdmissionTests(ImportAdmissionTests.OneLargeDocumentFixture host) : IClassFixture<ImportAdmissionTests.OneLargeDocumentFixture>
{
    private const int LargeBytes = 40_000;

    public sealed class OneLargeDocumentFixture : LocalHostFixture
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
        {
            ["Imports:MaxConcurrentLargeDocuments"] = "1",
            ["Imports:LargeDocumentBytes"] = "20000",
            ["Imports:BusyRetryAfter"] = "00:00:03",
        };
    }

    /// <summary>A body announced as <paramref name="length"/> bytes that sends its first byte, then waits to be released.</summary>
    private sealed class HeldBody(long length) : HttpContent
    {
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync("{"u8.ToArray());
            await stream.FlushAsync();
            Started.TrySetResult();
            await Release.Task;
            await stream.WriteAsync(Encoding.UTF8.GetBytes(new string(' ', (int)length - 2) + "}"));
        }

        protected override bool TryComputeLength(out long length1)
        {
            length1 = length;
            return true;
        }
    }

    private static string Padded(string document, int bytes) => document + new string(' ', Math.Max(0, bytes - Encoding.UTF8.GetByteCount(document)));

    [Theory]
    [InlineData("/validate")]
    [InlineData("")]
    public async Task A_large_document_beyond_the_limit_is_refused_with_retry_after_while_small_ones_pass(string suffix)
    {
        var projectId = await host.CreateEmptyProjectAsync();
        using var client = host.CreateClient("Api-Key " + host.AdminApiKey);
        var (held, holding) = Hold(client, projectId);
        try
        {
            // Once a large validation is refused while the held one is still unanswered, the held one has the place.
            // A held request that lost the race for it (to a probe, or an earlier apply) was refused: send it again.
            await LocalHostFixture.EventuallyAsync(async () =>
            {
                if (holding.IsCompleted)
                {
                    (held, holding) = Hold(client, projectId);
                    return false;
                }
                if (!held.Started.Task.IsCompleted)
                {
                    return false; // not admitted yet: with 100-continue its body starts only once the handler reads it
                }
                using var probe = await host.PostImportAsync(projectId, Padded(ImportDocuments.Valid, LargeBytes), suffix: "/validate");
                return probe.StatusCode == HttpStatusCode.ServiceUnavailable && !holding.IsCompleted;
            }, "the held large document holds the only place");

            var refused = await host.PostImportAsync(projectId, Padded(ImportDocuments.Valid, LargeBytes), suffix: suffix);
            Assert.Equal(TimeSpan.FromSeconds(3), refused.Headers.RetryAfter?.Delta);
            await Problem.ReadAsync(refused, HttpStatusCode.ServiceUnavailable, ImportAdmission.TooBusyCode);

            // A small document is not gated, even while the large one holds the only place.
            using var small = await host.PostImportAsync(projectId, ImportDocuments.Valid, suffix: suffix);
            Assert.True(small.IsSuccessStatusCode, await small.Content.ReadAsStringAsync());
        }
        finally
        {
            held.Release.TrySetResult(); // gives the place back even when an assertion failed
        }
        using (var first = await holding)
        {
            Assert.NotEqual(HttpStatusCode.ServiceUnavailable, first.StatusCode);
        }
        // The place is given back: the same large document is accepted once nothing holds it (the apply step of an
        // import created above may hold it for a moment, so a 503 until then is right).
        string? createdImport = null;
        await LocalHostFixture.EventuallyAsync(async () =>
        {
            using var retried = await host.PostImportAsync(projectId, Padded(ImportDocuments.Valid, LargeBytes), suffix: suffix);
            if (retried.StatusCode == HttpStatusCode.ServiceUnavailable) return false;
            Assert.True(retried.IsSuccessStatusCode, await retried.Content.ReadAsStringAsync());
            createdImport = suffix == "" ? (await retried.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetString() : null;
            return true;
        }, "a large document is accepted again");
        // Its apply step takes the only place for a while: the next case must not find it there.
        if (createdImport is not null)
        {
            await host.WaitForImportAsync(projectId, createdImport);
        }
    }

    private static (HeldBody Body, Task<HttpResponseMessage> Response) Hold(HttpClient client, string projectId)
    {
        var held = new HeldBody(LargeBytes);
        held.Headers.ContentType = new("application/json");
        // Expect: 100-continue, so that a refused held request is answered at once instead of being read to its end.
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/projects/{projectId}/project-imports/validate") { Content = held };
        request.Headers.ExpectContinue = true;
        return (held, client.SendAsync(request));
    }
}
