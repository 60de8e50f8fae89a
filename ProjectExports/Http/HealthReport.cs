namespace ProjectExports.Http;

public sealed record HealthReport(string Status);
