namespace ProjectExports.Benchmarks;

/// <summary>
/// The one place the benchmark makes HTTP clients, so headers every call needs (authentication, once the API
/// requires it) are added here and nowhere else.
/// </summary>
public static class BenchHttp
{
    public static HttpClient Create(Uri baseAddress) => new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
    {
        BaseAddress = baseAddress,
        Timeout = TimeSpan.FromSeconds(30),
    };
}
