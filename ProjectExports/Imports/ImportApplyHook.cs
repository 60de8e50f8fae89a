namespace ProjectExports.Imports;

/// <summary>
/// Runs before each storage write of an import's apply step. The default does nothing; it is a seam so tests can
/// stop an import between two real writes (a process dying mid-apply) and prove that a retry converges, which no
/// storage mock could show honestly.
/// </summary>
public class ImportApplyHook
{
    public virtual ValueTask BeforeWriteAsync(ImportRecord record, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
