namespace ProjectExports.Exports.Flagd;

/// <summary>Names as flagd's schema and its <c>$ref</c> resolution accept them.</summary>
internal static class FlagdNames
{
    /// <summary>The schema's keys match ^.{1,}$, and JavaScript's '.' matches no line terminator.</summary>
    public static bool HasLineBreak(string name) => name.AsSpan().IndexOfAny("\n\r\u2028\u2029") >= 0;

    public static string WithoutLineBreaks(string name) =>
        HasLineBreak(name) ? string.Concat(name.Select(c => c is '\n' or '\r' or '\u2028' or '\u2029' ? ' ' : c)) : name;

    /// <summary>
    /// flagd replaces <c>{"$ref":"key"}</c> in the file's compact JSON text with the evaluator: a key that JSON
    /// escapes (quotes, backslashes, control characters) would never be found, so those become '_'.
    /// </summary>
    public static string EvaluatorKey(string segmentName, ISet<string> taken)
    {
        var clean = string.Concat(segmentName.Select(c => c is '"' or '\\' or '\u2028' or '\u2029' || char.IsControl(c) ? '_' : c));
        if (clean.Length == 0)
        {
            clean = "_";
        }
        var key = clean;
        for (var n = 2; !taken.Add(key); n++)
        {
            key = $"{clean} #{n}";
        }
        return key;
    }
}
