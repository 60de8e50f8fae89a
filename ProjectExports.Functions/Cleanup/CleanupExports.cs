using Microsoft.Azure.Functions.Worker;
using ProjectExports.Cleanup;

namespace ProjectExports.Functions.Cleanup;

public sealed class CleanupExports(ExportCleanup cleanup)
{
    [Function("CleanupExports")]
    public Task Run([TimerTrigger(CleanupSchedule.BindingExpression)] TimerInfo timer, CancellationToken cancellationToken) =>
        cleanup.RunAsync(cancellationToken);
}
