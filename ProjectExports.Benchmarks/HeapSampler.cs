namespace ProjectExports.Benchmarks;

/// <summary>
/// Samples the managed heap on its own thread while a build runs, so the peak is seen even between GCs; a
/// dedicated thread keeps sampling when the thread pool is busy with the build itself.
/// </summary>
public sealed class HeapSampler : IDisposable
{
    private readonly TimeSpan _interval;
    private readonly bool _collect;
    private readonly Thread _thread;
    private volatile bool _stopped;
    private readonly long _start;
    private long _peak;
    private long _peakSinceMark = long.MinValue;

    private HeapSampler(TimeSpan interval, bool collect)
    {
        _interval = interval;
        _collect = collect;
        _start = _peak = GC.GetTotalMemory(false);
        _thread = new Thread(Run) { IsBackground = true, Name = "heap sampler" };
        _thread.Start();
    }

    /// <summary>
    /// Collects everything collectable first, so each measurement starts from the same live heap. Then samples the
    /// heap as it is (live objects plus garbage awaiting collection) every 2 ms or, with <paramref name="liveOnly"/>,
    /// forces a full GC every 50 ms to see only what the build keeps reachable (slows the build; a separate run).
    /// </summary>
    public static HeapSampler Start(bool liveOnly = false)
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return liveOnly ? new HeapSampler(TimeSpan.FromMilliseconds(50), collect: true) : new HeapSampler(TimeSpan.FromMilliseconds(2), collect: false);
    }

    public long PeakBytes => Interlocked.Read(ref _peak);

    /// <summary>
    /// How far the heap rose above where it started: what the measured work added. Process-wide state the work does not
    /// own cancels out, such as buffers the shared array pool keeps after the storage floor's SDK parsed its responses
    /// (a few MiB per thread once a whole partition comes in one response).
    /// </summary>
    public long RiseBytes => PeakBytes - _start;

    /// <summary>
    /// Starts a second peak from here on, over the same start (<see cref="RiseSinceMarkBytes"/>): what a later stage
    /// of the work rose to, without a collection that would change how that stage runs.
    /// </summary>
    public void Mark() => Interlocked.Exchange(ref _peakSinceMark, GC.GetTotalMemory(false));

    /// <summary>How far the heap rose above the start after <see cref="Mark"/>; 0 when there was no mark.</summary>
    public long RiseSinceMarkBytes => Interlocked.Read(ref _peakSinceMark) is var peak && peak == long.MinValue ? 0 : peak - _start;

    private void Run()
    {
        while (!_stopped)
        {
            Sample();
            Thread.Sleep(_interval);
        }
    }

    private void Sample()
    {
        var current = GC.GetTotalMemory(_collect);
        if (current > Interlocked.Read(ref _peak))
        {
            Interlocked.Exchange(ref _peak, current);
        }
        var sinceMark = Interlocked.Read(ref _peakSinceMark);
        if (sinceMark != long.MinValue && current > sinceMark)
        {
            Interlocked.CompareExchange(ref _peakSinceMark, current, sinceMark);
        }
    }

    public void Dispose()
    {
        _stopped = true;
        _thread.Join();
    }
}
