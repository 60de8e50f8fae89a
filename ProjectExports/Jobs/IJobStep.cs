namespace ProjectExports.Jobs;

/// <summary>The work of one kind of job, run by <see cref="JobRunner{TRecord}"/> for each delivery of a PROCESSING job.</summary>
public interface IJobStep<TRecord> where TRecord : JobRecord<TRecord>
{
    /// <summary>
    /// Does the job's work and returns the record finished (succeeded, or failed for a reason the user can act on).
    /// Must be safe to run again for the same job: a redelivery after a crash runs it again from the start.
    /// </summary>
    /// <param name="dequeueCount">Which delivery of the message this is (1 for the first).</param>
    Task<TRecord> RunAsync(TRecord record, JobProgress<TRecord> progress, long dequeueCount, CancellationToken cancellationToken);

    /// <summary>What the job is failed with when its last allowed delivery throws <paramref name="exception"/>.</summary>
    JobError GiveUp(Exception exception, long dequeueCount);
}
