using Microsoft.Extensions.Configuration;
using NCrontab;

namespace ProjectExports.Jobs;

/// <summary>
/// The cleanup's schedule: a six-field CRON expression (seconds first, as the Functions timer trigger reads it)
/// from the app setting <c>CleanupSchedule</c>, which the Functions shell binds as <c>%CleanupSchedule%</c>. The code
/// has no fallback: without the setting the Functions host's indexing fails, and so does the LocalHost's start.
/// </summary>
public static class CleanupSchedule
{
    public const string Setting = "CleanupSchedule";
    public const string BindingExpression = "%" + Setting + "%";

    /// <summary>Hourly, on the hour: what the shipped settings files and the Bicep parameter set.</summary>
    public const string Default = "0 0 * * * *";

    public static string Expression(IConfiguration configuration) =>
        configuration[Setting] is { Length: > 0 } expression
            ? expression
            : throw new InvalidOperationException(
                $"The app setting '{Setting}' is missing or empty: set it to a six-field CRON expression (second minute hour day month weekday), e.g. '{Default}'.");

    public static CrontabSchedule Parse(string expression) =>
        CrontabSchedule.TryParse(expression, new CrontabSchedule.ParseOptions { IncludingSeconds = true })
        ?? throw new InvalidOperationException(
            $"'{Setting}' = '{expression}' is not a six-field CRON expression (second minute hour day month weekday), e.g. '{Default}'.");

    /// <summary>The first occurrence strictly after <paramref name="after"/>, in UTC.</summary>
    public static DateTimeOffset Next(CrontabSchedule schedule, DateTimeOffset after) =>
        new(DateTime.SpecifyKind(schedule.GetNextOccurrence(after.UtcDateTime), DateTimeKind.Utc));
}
