using NCrontab;
using ProjectExports.Jobs;

namespace ProjectExports.LocalHost;

/// <summary>
/// Runs the cleanup on the CleanupSchedule expression, the same setting the Functions timer trigger binds. The
/// schedule is read when the host builds its services, so a missing or invalid one fails start-up, as the Functions
/// host's indexing fails on an unresolvable %CleanupSchedule%.
/// </summary>
public sealed class CleanupTimer(JobCleanup cleanup, IConfiguration configuration, TimeProvider time, ILogger<CleanupTimer> logger) : BackgroundService
{
    private readonly CrontabSchedule _schedule = CleanupSchedule.Parse(CleanupSchedule.Expression(configuration));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            var next = CleanupSchedule.Next(_schedule, now);
            try
            {
                await Task.Delay(next - now, time, stoppingToken);
                await cleanup.RunAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogError(e, "Cleanup run failed; the next scheduled run will retry.");
            }
        }
    }
}
