namespace ProjectExports.Audit;

/// <summary>One line of a project's audit log.</summary>
public sealed record AuditEntry
{
    public required string Id { get; init; }
    public required string Project { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required string Log { get; init; }
    public required string RelatedObjectType { get; init; }
    public required string RelatedObjectId { get; init; }
    /// <summary>The user who caused the entry, when a user did.</summary>
    public string? Author { get; init; }
    /// <summary>The API key that caused the entry, when a key did.</summary>
    public string? AuthorApiKey { get; init; }
}
