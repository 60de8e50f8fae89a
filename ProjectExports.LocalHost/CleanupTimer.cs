using ProjectExports.Cleanup;

namespace ProjectExports.LocalHost;

/// <summary>Runs the cleanup on the CleanupSchedule expression, the same setting the Functions timer trigger binds.</summary>
public sealed class CleanupTimer(ExportCleanup cleanup, IConfiguration configuration, TimeProvider time, ILogger<CleanupTimer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var schedule = CleanupSchedule.Parse(CleanupSchedule.Expression(configuration));
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            var next = CleanupSchedule.Next(schedule, now);
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
