using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ProjectExports.Projects;

namespace ProjectExports.Imports.Review;

/// <summary>
/// A plan's id: SHA-256 of the document (as JSON), the strategy and options, and every row of the project the plan
/// was made from (its definitions and the named environments' data), so two plans share an id only if they were made
/// from the same input against the same state, and an import given a plan id can tell whether the project moved on.
/// </summary>
public static class ImportPlanIds
{
    /// <param name="documentHash">SHA-256 of the document as JSON (<see cref="ImportCheck.JsonHash"/>).</param>
    public static string Of(ReadOnlySpan<byte> documentHash, string options, string stateHash)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Append(hash, documentHash);
        Append(hash, Encoding.UTF8.GetBytes(options));
        Append(hash, Encoding.UTF8.GetBytes(stateHash));
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>
    /// SHA-256 of every row of the project a plan is made from: its definitions, then each named environment's id and
    /// digest (<see cref="EnvironmentDigest"/>) in id order.
    /// </summary>
    public static string StateHash(ProjectDefinitions definitions, IReadOnlyDictionary<string, byte[]> environmentDigests)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var json = ProjectJsonContext.Default;
        Append(hash, definitions.Project, json.Project);
        foreach (var tag in definitions.Tags) Append(hash, tag, json.Tag);
        foreach (var segment in definitions.Segments) Append(hash, segment, json.Segment);
        foreach (var feature in definitions.Features) Append(hash, feature, json.Feature);
        foreach (var environment in definitions.Environments) Append(hash, environment, json.ProjectEnvironment);
        foreach (var (environmentId, digest) in environmentDigests.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            Append(hash, Encoding.UTF8.GetBytes(environmentId));
            Append(hash, digest);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>SHA-256 of one environment's rows, in the order they are read: taken as it is read, so it need not be kept.</summary>
    public static byte[] EnvironmentDigest(ImportTargetEnvironment environment)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var json = ProjectJsonContext.Default;
        foreach (var state in environment.States.FeatureStates) Append(hash, state, json.FeatureState);
        foreach (var segmentOverride in environment.States.FeatureSegments) Append(hash, segmentOverride, json.FeatureSegment);
        foreach (var identityOverride in environment.IdentityOverrides) Append(hash, identityOverride, json.IdentityOverride);
        return hash.GetHashAndReset();
    }

    /// <summary>Whether <paramref name="value"/> has the form of a plan id (64 lowercase hex digits).</summary>
    public static bool IsWellFormed(string value) => value.Length == 64 && value.All(char.IsAsciiHexDigitLower);

    private static void Append<T>(IncrementalHash hash, T entity, JsonTypeInfo<T> typeInfo) => Append(hash, JsonSerializer.SerializeToUtf8Bytes(entity, typeInfo));

    /// <summary>Length first, so no two sequences of parts hash alike by shifting bytes between parts.</summary>
    private static void Append(IncrementalHash hash, ReadOnlySpan<byte> part)
    {
        Span<byte> length = stackalloc byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(length, part.Length);
        hash.AppendData(length);
        hash.AppendData(part);
    }
}
