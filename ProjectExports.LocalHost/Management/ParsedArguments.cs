using ProjectExports.Projects;

namespace ProjectExports.LocalHost.Management;

/// <summary>A usage mistake: printed with the usage text, exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);

/// <summary>
/// <c>area verb [positional] [--option value …] [--flag]</c>. Small enough not to need a parser library; every
/// option is checked against what the command knows, so a typo is an error and not a silently ignored word.
/// </summary>
public sealed class ParsedArguments
{
    private static readonly HashSet<string> ValueOptions = ["--project", "--name", "--user", "--api-key"];
    private static readonly HashSet<string> Flags = ["--all-projects"];

    private readonly List<(string Name, string? Value)> _options = [];
    private readonly List<string> _positional = [];

    public string Area { get; private init; } = "";
    public string Verb { get; private init; } = "";

    public static ParsedArguments Parse(string[] args)
    {
        if (args.Length < 2)
        {
            throw new UsageException("Give an area and a verb, e.g. 'api-keys create'.");
        }
        var parsed = new ParsedArguments { Area = args[0], Verb = args[1] };
        for (var i = 2; i < args.Length; i++)
        {
            var arg = args[i];
            if (Flags.Contains(arg))
            {
                parsed._options.Add((arg, null));
            }
            else if (ValueOptions.Contains(arg))
            {
                if (i + 1 >= args.Length) throw new UsageException($"{arg} needs a value.");
                parsed._options.Add((arg, args[++i]));
            }
            else if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                throw new UsageException($"Unknown option '{arg}'.");
            }
            else
            {
                parsed._positional.Add(arg);
            }
        }
        return parsed;
    }

    public bool Flag(string name) => _options.Any(o => o.Name == name);

    public string? Value(string name) => _options.LastOrDefault(o => o.Name == name).Value;

    public IReadOnlyList<string> Projects()
    {
        var projects = _options.Where(o => o.Name == "--project").Select(o => o.Value!).Distinct().ToList();
        foreach (var projectId in projects.Where(p => !ProjectIds.IsValid(p)))
        {
            throw new UsageException($"'{projectId}' is not a valid project id: use {ProjectIds.Rule}.");
        }
        return projects;
    }

    public string? OptionalProject() => Projects() switch
    {
        [] => null,
        [var one] => one,
        _ => throw new UsageException("Give one --project here."),
    };

    public string Single(string what) => _positional is [var one] ? one : throw new UsageException($"Give the {what}.");
}
