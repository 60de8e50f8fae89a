using System.Text.RegularExpressions;
using YamlDotNet.Core;

namespace ProjectExports.Exports;

/// <summary>
/// How a JSON string is written as a YAML scalar so that every YAML reader reads it back as that same string.
/// Plain only for text that is obviously text: a letter or '_' first, then letters, digits, spaces and <c>_ . / - @</c>,
/// no space last, and not a word that YAML 1.2 or 1.1 resolves to null or a boolean. Everything else is double-quoted,
/// the one style that can spell any string (escapes for line breaks and non-printable characters).
/// </summary>
public static partial class YamlScalars
{
    /// <summary>Words YAML 1.2's core schema or YAML 1.1 reads as null or a boolean, in any letter case.</summary>
    private static readonly HashSet<string> ReservedWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "null", "true", "false", "yes", "no", "on", "off", "y", "n",
    };

    public static ScalarStyle StyleOf(string value) =>
        ObviouslyText().IsMatch(value) && !ReservedWords.Contains(value) ? ScalarStyle.Plain : ScalarStyle.DoubleQuoted;

    // Only ASCII: the first character rules out numbers, dates and every YAML indicator; no ':', '#', ',' or brackets
    // anywhere rules out keys, comments and flow collections.
    [GeneratedRegex(@"^[A-Za-z_](?:[A-Za-z0-9_./@ -]*[A-Za-z0-9_./@-])?\z")]
    private static partial Regex ObviouslyText();
}
