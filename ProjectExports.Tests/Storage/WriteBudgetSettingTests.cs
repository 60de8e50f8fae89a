using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ProjectExports.Hosting;
using ProjectExports.Storage;

namespace ProjectExports.Tests.Storage;

public sealed class WriteBudgetSettingTests
{
    private static ServiceProvider Services(string? writeBytesInFlight)
    {
        var settings = new Dictionary<string, string?> { [StorageNames.ConnectionSetting] = "UseDevelopmentStorage=true" };
        if (writeBytesInFlight is not null) settings["Storage:WriteBytesInFlight"] = writeBytesInFlight;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddLogging().AddProjectExports(configuration).BuildServiceProvider();
    }

    [Fact]
    public void The_storage_clients_share_one_budget_of_the_configured_bytes()
    {
        using var services = Services("8388608");

        Assert.Equal(8 * 1024 * 1024, services.GetRequiredService<StorageClients>().TableWrites.Bytes);
    }

    [Fact]
    public void Without_the_setting_one_transactions_worth_is_written_at_once()
    {
        using var services = Services(null);

        Assert.Equal(PagedPartition.RoundBytes, services.GetRequiredService<StorageClients>().TableWrites.Bytes);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1000")]
    public void A_budget_too_small_for_anything_is_refused_and_says_which_setting(string bytes)
    {
        using var services = Services(bytes);

        var refused = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<StorageOptions>>().Value);
        Assert.Contains("Storage:WriteBytesInFlight", refused.Message, StringComparison.Ordinal);
    }
}
