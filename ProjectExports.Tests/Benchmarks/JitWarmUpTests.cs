using System.Reflection.Emit;
using ProjectExports.Benchmarks;

namespace ProjectExports.Tests.Benchmarks;

/// <summary>The benchmark's warm-up ends when the JIT goes quiet, and not before.</summary>
public sealed class JitWarmUpTests
{
    [Fact]
    public async Task Work_that_compiles_nothing_new_is_settled_after_the_settled_runs()
    {
        var warmUp = await JitWarmUp.RunAsync(10, () => Task.FromResult(TimeSpan.FromMilliseconds(1)));

        Assert.True(warmUp.Settled);
        Assert.InRange(warmUp.Milliseconds.Count, JitWarmUp.SettledRuns, JitWarmUp.SettledRuns + 1); // the first run may compile the lambda
    }

    [Fact]
    public async Task Work_that_keeps_compiling_runs_to_the_limit_and_says_it_did_not_settle()
    {
        var warmUp = await JitWarmUp.RunAsync(4, () =>
        {
            // Each dynamic method is compiled when first called: as many as a settled run may compile at most.
            for (var i = 0; i < JitWarmUp.SettledMethods; i++)
            {
                var method = new DynamicMethod($"m{i}", typeof(int), Type.EmptyTypes);
                var il = method.GetILGenerator();
                il.Emit(OpCodes.Ldc_I4, i);
                il.Emit(OpCodes.Ret);
                _ = ((Func<int>)method.CreateDelegate(typeof(Func<int>)))();
            }
            return Task.FromResult(TimeSpan.FromMilliseconds(1));
        });

        Assert.False(warmUp.Settled);
        Assert.Equal(4, warmUp.Milliseconds.Count);
    }
}
