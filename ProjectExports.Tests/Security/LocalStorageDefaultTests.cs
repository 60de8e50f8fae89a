using Microsoft.Extensions.Configuration;
using ProjectExports.LocalHost;
using ProjectExports.Storage;

namespace ProjectExports.Tests.Security;

/// <summary>The LocalHost and its command line reach the account the operator names, Azure included, and say clearly when they cannot.</summary>
public sealed class LocalStorageDefaultTests
{
    private static ConfigurationManager With(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationManager();
        configuration.AddInMemoryCollection(settings);
        LocalStorageDefault.AddTo(configuration);
        return configuration;
    }

    [Fact]
    public void An_identity_based_account_is_not_shadowed_by_the_Azurite_default()
    {
        var clients = StorageClients.FromConfiguration(With(new() { ["AzureWebJobsStorage:accountName"] = "contosoexports" }));
        Assert.Equal("https://contosoexports.table.core.windows.net/", clients.Tables.Uri.ToString());
        Assert.Equal("https://contosoexports.blob.core.windows.net/", clients.Blobs.Uri.ToString());
    }

    [Fact]
    public void Azurite_is_the_default_only_when_nothing_is_configured()
    {
        Assert.Equal(LocalStorageDefault.Azurite, With([])[StorageNames.ConnectionSetting]);
        var connection = "UseDevelopmentStorage=true;DevelopmentStorageProxyUri=http://127.0.0.2";
        Assert.Equal(connection, With(new() { [StorageNames.ConnectionSetting] = connection })[StorageNames.ConnectionSetting]);
    }

    [Fact]
    public async Task An_unreachable_account_is_a_clear_error_with_exit_code_1_not_a_stack_trace()
    {
        const string key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
        var closed = "http://127.0.0.1:9/devstoreaccount1"; // the discard port: nothing listens
        var configuration = With(new()
        {
            [StorageNames.ConnectionSetting] = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={key};BlobEndpoint={closed};QueueEndpoint={closed};TableEndpoint={closed};",
        });
        using var output = new StringWriter();
        using var error = new StringWriter();
        var commandLine = new LocalHostCommandLine((_, _) => throw new InvalidOperationException("A management command started the server."), () => configuration);
        var exit = await commandLine.RunAsync(["api-keys", "list"], output, error, CancellationToken.None);
        Assert.Equal(1, exit);
        Assert.Contains("could not be used", error.ToString());
        Assert.DoesNotContain("   at ", error.ToString());
    }
}
