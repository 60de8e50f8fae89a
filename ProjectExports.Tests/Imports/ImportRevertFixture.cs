using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using ProjectExports.Storage;
using ProjectExports.Tests.Infrastructure;

namespace ProjectExports.Tests.Imports;

/// <summary>A LocalHost whose writes of project configuration a test can fail once, hold, or follow with a racing change.</summary>
public sealed class ImportRevertFixture : LocalHostFixture
{
    public WritesHook Hook { get; } = new();

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton(Hook.Registration);

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        // A client of its own, outside the app's pipeline: what it writes is another writer's change, unseen by the hook.
        // It streams reads as the app's clients do, which paged partitions need.
        Hook.Racer = new TableClient(StorageConnectionString, StorageNames.ProjectConfigurationTable, StorageClients.TableOptions(
            new StorageRetrySettings { NetworkTimeout = TimeSpan.FromSeconds(10), MaxRetries = 1, Delay = TimeSpan.FromMilliseconds(100), MaxDelay = TimeSpan.FromSeconds(1) }));
    }

    public sealed class WritesHook : ProjectWritesPolicy
    {
        private readonly Lock _gate = new();
        private readonly Dictionary<string, (int After, int Written)> _crashes = [];
        private readonly Dictionary<string, Func<TableClient, Task>> _races = [];
        private readonly Dictionary<string, TaskCompletionSource> _holds = [];

        public TableClient Racer { get; set; } = null!;
        public int Crashes { get; private set; }

        /// <summary>Fails the write after <paramref name="writes"/> successful ones of the project, once: a process dying mid-apply.</summary>
        public void CrashOnceAfter(string projectId, int writes)
        {
            lock (_gate) _crashes[projectId] = (writes, 0);
        }

        /// <summary>Runs <paramref name="change"/> once, right after the project's next successful write.</summary>
        public void RaceAfterNextWrite(string projectId, Func<TableClient, Task> change)
        {
            lock (_gate) _races[projectId] = change;
        }

        /// <summary>Holds every write of the project until the returned source is completed.</summary>
        public TaskCompletionSource Hold(string projectId)
        {
            var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_gate) _holds[projectId] = hold;
            return hold;
        }

        protected override async ValueTask BeforeWriteAsync(string request, CancellationToken cancellationToken)
        {
            Task? held = null;
            string? crashed = null;
            lock (_gate)
            {
                if (_holds.FirstOrDefault(h => Writes(request, h.Key)) is { Value: { } hold }) held = hold.Task;
                if (_crashes.FirstOrDefault(c => Writes(request, c.Key)) is { Key: { } projectId, Value: var crash })
                {
                    if (crash.Written < crash.After) _crashes[projectId] = crash with { Written = crash.Written + 1 };
                    else
                    {
                        _crashes.Remove(projectId);
                        Crashes++;
                        crashed = projectId;
                    }
                }
            }
            if (held is not null) await held.WaitAsync(cancellationToken);
            if (crashed is not null) throw new IOException($"Simulated crash before a write of project {crashed}.");
        }

        protected override async ValueTask AfterWriteAsync(string request, CancellationToken cancellationToken)
        {
            Func<TableClient, Task>? race = null;
            lock (_gate)
            {
                if (_races.FirstOrDefault(r => Writes(request, r.Key)) is { Key: { } projectId, Value: { } change })
                {
                    _races.Remove(projectId);
                    race = change;
                }
            }
            if (race is not null) await race(Racer);
        }
    }
}
