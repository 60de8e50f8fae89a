using ProjectExports.Security;

namespace ProjectExports.Benchmarks;

/// <summary>
/// The one place the benchmark makes HTTP clients, so headers every call needs (its admin API key) are added
/// here and nowhere else.
/// </summary>
public static class BenchHttp
{
    public static HttpClient Create(Uri baseAddress, string apiKey)
    {
        var client = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", $"{CallerAuthenticator.ApiKeyScheme} {apiKey}");
        return client;
    }
}
