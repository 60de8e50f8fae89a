using Azure.Core;
using Azure.Core.Pipeline;

namespace ProjectExports.Storage;

/// <summary>
/// A pipeline policy a host (or a test) adds to every client of one storage service, request and background deadlines
/// alike: registered as a service, <see cref="StorageClients"/> takes them all. So a host can watch or shape the app's
/// storage calls, such as the LocalHost waking its queue listeners when a message is sent, without the core knowing.
/// </summary>
public sealed record StoragePipelinePolicy(StorageService Service, HttpPipelinePolicy Policy, HttpPipelinePosition Position = HttpPipelinePosition.PerCall);
