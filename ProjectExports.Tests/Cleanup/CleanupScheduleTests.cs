using Microsoft.Extensions.Configuration;
using ProjectExports.Jobs;
using ProjectExports.LocalHost;
using ProjectExports.Storage;

namespace ProjectExports.Tests.Cleanup;

public sealed class CleanupScheduleTests
{
    [Fact]
    public void The_default_schedule_is_hourly_on_the_hour()
    {
        var schedule = CleanupSchedule.Parse(CleanupSchedule.Default);
        var next = CleanupSchedule.Next(schedule, new DateTimeOffset(2026, 11, 22, 10, 17, 5, TimeSpan.Zero));
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 11, 0, 0, TimeSpan.Zero), next);
    }

    [Theory]
    [InlineData("0 * * * *")]
    [InlineData("every hour")]
    public void Expressions_that_are_not_six_field_cron_are_refused_with_a_clear_message(string expression)
    {
        var error = Assert.Throws<InvalidOperationException>(() => CleanupSchedule.Parse(expression));
        Assert.Contains("CleanupSchedule", error.Message);
    }

    [Theory]
    [InlineData(null)] // absent: hides the value of the LocalHost's appsettings.json
    [InlineData("")]
    [InlineData("every hour")]
    public async Task The_LocalHost_does_not_start_without_a_valid_schedule_and_says_which_setting(string? expression)
    {
        await using var app = LocalHostApp.Create(["--urls", "http://127.0.0.1:0"], builder =>
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                // Never reached: start-up fails before any service runs.
                [StorageNames.ConnectionSetting] = "DefaultEndpointsProtocol=http;AccountName=none;AccountKey=bm9uZQ==;QueueEndpoint=http://127.0.0.1:9/none;TableEndpoint=http://127.0.0.1:9/none;BlobEndpoint=http://127.0.0.1:9/none",
                [CleanupSchedule.Setting] = expression,
            }));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => app.StartAsync());
        Assert.Contains($"'{CleanupSchedule.Setting}'", error.Message);
    }
}
