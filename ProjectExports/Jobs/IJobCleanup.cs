namespace ProjectExports.Jobs;

/// <summary>The cleanup of one kind of job, as <see cref="JobCleanup"/> runs every kind's.</summary>
public interface IJobCleanup
{
    string Noun { get; }

    Task<JobCleanupCount> RunAsync(DateTimeOffset now, CancellationToken cancellationToken);
}
