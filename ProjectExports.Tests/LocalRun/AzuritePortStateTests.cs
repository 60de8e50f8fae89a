using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using ProjectExports.Tests.Infrastructure;

namespace ProjectExports.Tests.LocalRun;

/// <summary>
/// How scripts/run tells what holds Azurite's standard ports (scripts/azurite.sh, azurite_port_state): nothing, so it
/// starts Azurite; Azurite's own service, so it uses it; anything else, so it stops and says what. Asked here about
/// other ports, since 10000-10002 belong to whoever runs Azurite on this machine.
/// </summary>
public sealed partial class AzuritePortStateTests : IAsyncLifetime
{
    private AzuriteProcess? _azurite;

    public async Task InitializeAsync() => _azurite = await AzuriteProcess.StartAsync();

    public async Task DisposeAsync()
    {
        if (_azurite is not null) await _azurite.DisposeAsync();
    }

    [GeneratedRegex(@"BlobEndpoint=http://127\.0\.0\.1:(\d+)/")]
    private static partial Regex BlobPort();

    private static async Task<string> StateAsync(int port, string service)
    {
        var start = new ProcessStartInfo("bash")
        {
            ArgumentList = { "-c", "source \"$0\" && azurite_port_state \"$1\" \"$2\"", Path.Combine(RepositoryPaths.Root, "scripts", "azurite.sh"), port.ToString(), service },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ROOT"] = RepositoryPaths.Root;
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, process.ExitCode);
        return output.Trim();
    }

    [Fact]
    public async Task A_port_nothing_listens_on_is_free()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        Assert.Equal("free", await StateAsync(port, "Blob"));
    }

    [Fact]
    public async Task Azurite_is_recognized_by_the_service_that_answers()
    {
        var blob = int.Parse(BlobPort().Match(_azurite!.ConnectionString).Groups[1].Value);
        Assert.Equal("azurite", await StateAsync(blob, "Blob"));
        // Azurite's blob service where its table service belongs is not the account UseDevelopmentStorage=true names.
        Assert.StartsWith("other: Azurite-Blob/", await StateAsync(blob, "Table"));
    }

    [Fact]
    public async Task Something_else_listening_is_other()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        // Accepts and hangs up without a word, as a service that does not speak HTTP.
        var closer = Task.Run(async () =>
        {
            using var client = await listener.AcceptTcpClientAsync();
        });
        Assert.StartsWith("other:", await StateAsync(port, "Blob"));
        await closer.WaitAsync(TimeSpan.FromSeconds(30));
    }
}
