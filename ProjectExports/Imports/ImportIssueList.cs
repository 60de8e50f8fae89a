namespace ProjectExports.Imports;

/// <summary>
/// Issues found in one document, capped: a 10 MB file of one-character mistakes would otherwise make millions of
/// issues (gigabytes of memory, a response far larger than the upload). Past the cap one last issue says so.
/// </summary>
public sealed class ImportIssueList : System.Collections.ObjectModel.Collection<ImportIssue>
{
    public const int MaxIssues = 1000;

    public bool IsTruncated { get; private set; }

    protected override void InsertItem(int index, ImportIssue item)
    {
        if (Count < MaxIssues)
        {
            base.InsertItem(index, item);
        }
        else if (!IsTruncated)
        {
            IsTruncated = true;
            base.InsertItem(Count, new ImportIssue(ImportIssueCodes.TooManyIssues, $"More than {MaxIssues:N0} issues; the rest are not listed. Fix these and check again.", ""));
        }
    }

    /// <summary>The issues of several lists in one, under the same cap.</summary>
    public static ImportIssueList Of(params IEnumerable<ImportIssue>[] lists)
    {
        var all = new ImportIssueList();
        foreach (var issue in lists.SelectMany(list => list)) all.Add(issue);
        return all;
    }
}
