namespace ProjectExports.Tests.Exports;

/// <summary>Strings a YAML reader would take for something else, or that a careless writer would break.</summary>
public static class HostileText
{
    /// <summary>Usable as names (not blank, no control characters), each distinct even after Unicode folding.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        "yes", "No", "ON", "off", "y", "n", "true", "False", "null", "Null", "~", "0123", "1e3", "1E+20", "-1", "+1", ".5", "0x1F",
        "0o17", "1_000", ".inf", "-.Inf", ".NaN", "2026-11-22", "12:30:00", " leading", "trailing ", "- x", "-", "a: b", "a:b", "#hash",
        "a #b", "? q", "@at", "`tick", "*star", "&anchor", "!tag", "%pct", "|pipe", ">fold", "'single'", "\"double\"", "[flow]", "{map}",
        "a, b", "<<", "=", "back\\slash", "ünïcödé", "名前", "emoji 😀", "\u00a0nbsp", "line\u2028separator", "zero\u200bwidth",
        "right\u202eleft", "plain name", "plain_name-1.2/x@y",
    ];

    /// <summary>Usable anywhere free text goes (descriptions, trait values, string values): the names and worse.</summary>
    public static IReadOnlyList<string> Values { get; } =
    [
        .. Names, "", " ", "  two  ", "multi\nline", "ends with newline\n", "\nstarts", "crlf\r\nline", "tab\tin", "\ttab first", "bell\u0007",
        "nul\u0000byte", "del\u007f", "next\u0085line", "\ufeffbom", "\"", "'", "\\", "--- ", "...", "---", "%YAML 1.2", "# only",
    ];
}
