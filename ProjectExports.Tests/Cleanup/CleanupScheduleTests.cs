using ProjectExports.Cleanup;

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
}
