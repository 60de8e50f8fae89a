using ProjectExports.Storage;

namespace ProjectExports.Tests.Storage;

public sealed class WriteBudgetTests
{
    private const long MiB = 1024 * 1024;

    [Fact]
    public async Task Bytes_that_do_not_fit_beside_those_in_flight_wait_until_enough_are_given_back()
    {
        using var budget = new WriteBudget(4 * MiB);
        var first = await budget.AcquireAsync(3 * MiB, CancellationToken.None);
        var beside = await budget.AcquireAsync(MiB, CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        var second = budget.AcquireAsync(2 * MiB, CancellationToken.None).AsTask();
        Assert.False(second.IsCompleted);
        first.Dispose();
        var afterFirst = await second.WaitAsync(TimeSpan.FromSeconds(10)); // 2 MiB fit beside the 1 MiB still in flight

        beside.Dispose();
        afterFirst.Dispose();
    }

    [Fact]
    public async Task A_write_larger_than_the_whole_budget_goes_alone_once_the_others_are_done()
    {
        using var budget = new WriteBudget(2 * MiB);
        var inFlight = await budget.AcquireAsync(MiB / 2, CancellationToken.None);

        var large = budget.AcquireAsync(5 * MiB, CancellationToken.None).AsTask();
        Assert.False(large.IsCompleted);
        inFlight.Dispose();
        var alone = await large.WaitAsync(TimeSpan.FromSeconds(10));

        var next = budget.AcquireAsync(16 * 1024, CancellationToken.None).AsTask();
        Assert.False(next.IsCompleted);
        alone.Dispose();
        (await next.WaitAsync(TimeSpan.FromSeconds(10))).Dispose();
    }

    [Fact]
    public async Task Waiting_writes_go_in_the_order_they_came_so_a_large_one_is_not_passed_by_small_ones()
    {
        using var budget = new WriteBudget(4 * MiB);
        var inFlight = await budget.AcquireAsync(3 * MiB, CancellationToken.None);

        var large = budget.AcquireAsync(3 * MiB, CancellationToken.None).AsTask();
        var small = budget.AcquireAsync(MiB / 2, CancellationToken.None).AsTask(); // would fit now, but comes after

        Assert.False(small.IsCompleted);
        inFlight.Dispose();
        (await large.WaitAsync(TimeSpan.FromSeconds(10))).Dispose();
        (await small.WaitAsync(TimeSpan.FromSeconds(10))).Dispose();
    }

    [Fact]
    public async Task A_waiting_write_stops_waiting_when_its_token_is_cancelled()
    {
        using var budget = new WriteBudget(MiB);
        using var inFlight = await budget.AcquireAsync(MiB, CancellationToken.None);
        using var cancellation = new CancellationTokenSource();

        var waiting = budget.AcquireAsync(MiB, cancellation.Token).AsTask();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(10)));
    }
}
