using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Http;

namespace ProjectExports.Http;

/// <summary>
/// What reading or checking part of a request gives: the value, or the problem answer that refuses the request.
/// One shape for every such step, so a handler writes <c>if (!step.TryGetValue(out var value, out var problem)) return problem;</c>
/// and uses <c>value</c> without a null check.
/// </summary>
public readonly struct Outcome<T> where T : notnull
{
    private readonly T? _value;
    private readonly IResult? _problem;

    private Outcome(T? value, IResult? problem)
    {
        _value = value;
        _problem = problem;
    }

    public static implicit operator Outcome<T>(T value) => new(value, null);

    public static Outcome<T> Refused(IResult problem) => new(default, problem);

    public bool TryGetValue([MaybeNullWhen(false)] out T value, [NotNullWhen(false)] out IResult? problem)
    {
        value = _value;
        problem = _problem;
        return problem is null;
    }
}
