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
/// ArrayPool.Shared keeps a returned array on the returning thread until a later full GC trims it, and a new one is
/// allocated for each thread that rents one. A document parsed into a JsonDocument rented metadata larger than the
/// document (16 MiB for a 9 MB document): garbage after each import on a thread of its own, or kept on each pool
/// thread that had read one. Read with a streaming reader instead, a document needs no buffer of its size.
/// </summary>
[Collection(PoolWatchingCollection.Name)]
public sealed class ImportReadBufferTests(LocalHostFixture host) : IClassFixture<LocalHostFixture>
{
    // Over 4 MB, where a JsonDocument would rent one buffer the size of the document (below, it grows one from 1 MB).
    private const int DocumentBytes = 5_000_000;

    [Theory]
    [InlineData("/validate")]
    [InlineData("")]
    public async Task Reading_a_large_document_rents_no_buffer_of_its_size(string suffix)
    {
        var projectId = await host.CreateEmptyProjectAsync();
        var document = ImportDocuments.Valid + new string(' ', DocumentBytes - Encoding.UTF8.GetByteCount(ImportDocuments.Valid));
        using var returns = new SharedPoolReturns(minimumBytes: DocumentBytes);

        using var response = await host.PostImportAsync(projectId, document, suffix: suffix);

        Assert.Equal(suffix == "" ? HttpStatusCode.Accepted : HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(returns.Sizes);
    }
}
