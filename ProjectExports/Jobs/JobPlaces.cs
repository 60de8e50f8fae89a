namespace ProjectExports.Jobs;

/// <summary>
/// Where one kind of job lives and how it is named: its noun, its records' table, its queue and the name of the job's
/// id in its messages, the prefix of its index partitions, its audit entries' object type, and its blob container.
/// </summary>
public sealed record JobPlaces(string Noun, string Table, string Queue, string MessageIdName, string IndexPrefix, string AuditObjectType, string BlobContainer);
