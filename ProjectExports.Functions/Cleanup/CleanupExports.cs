using Microsoft.Azure.Functions.Worker;
using ProjectExports.Jobs;

namespace ProjectExports.Functions.Cleanup;

public sealed class CleanupExports(JobCleanup cleanup)
{
    [Function("CleanupExports")]
    public Task Run([TimerTrigger(CleanupSchedule.BindingExpression)] TimerInfo timer, CancellationToken cancellationToken) =>
        cleanup.RunAsync(cancellationToken);
}
