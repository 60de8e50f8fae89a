namespace ProjectExports.Benchmarks;

/// <summary>
/// Samples the managed heap on its own thread while a build runs, so the peak is seen even between GCs; a
/// dedicated thread keeps sampling when the thread pool is busy with the build itself.
/// </summary>
public sealed class HeapSampler : IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(2);
    private readonly Thread _thread;
    private volatile bool _stopped;
    private long _peak;
    private long _peakAfterGc;
    private long _lastGcIndex;

    private HeapSampler()
    {
        _peak = GC.GetTotalMemory(false);
        _lastGcIndex = GC.GetGCMemoryInfo(GCKind.Any).Index;
        _thread = new Thread(Run) { IsBackground = true, Name = "heap sampler" };
        _thread.Start();
    }

    /// <summary>Collects everything collectable first, so each measurement starts from the same live heap.</summary>
    public static HeapSampler Start()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return new HeapSampler();
    }

    public long PeakBytes => Interlocked.Read(ref _peak);

    /// <summary>The largest heap a GC left behind during the build: what the build held, without garbage awaiting collection.</summary>
    public long PeakAfterGcBytes => Interlocked.Read(ref _peakAfterGc);

    private void Run()
    {
        while (!_stopped)
        {
            Sample();
            Thread.Sleep(Interval);
        }
    }

    private void Sample()
    {
        var current = GC.GetTotalMemory(false);
        if (current > Interlocked.Read(ref _peak))
        {
            Interlocked.Exchange(ref _peak, current);
        }
        var gc = GC.GetGCMemoryInfo(GCKind.Any);
        if (gc.Index != _lastGcIndex)
        {
            _lastGcIndex = gc.Index;
            var after = gc.HeapSizeBytes - gc.FragmentedBytes;
            if (after > Interlocked.Read(ref _peakAfterGc))
            {
                Interlocked.Exchange(ref _peakAfterGc, after);
            }
        }
    }

    public void Dispose()
    {
        _stopped = true;
        _thread.Join();
        Sample();
    }
}
