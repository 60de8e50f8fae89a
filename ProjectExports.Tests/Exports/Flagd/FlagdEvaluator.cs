using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using ProjectExports.Tests.Infrastructure;

namespace ProjectExports.Tests.Exports.Flagd;

/// <summary>A context to evaluate: the identity (flagd's targetingKey, or none) and its traits.</summary>
public sealed record FlagdContext(string? Identity, IReadOnlyDictionary<string, object> Traits)
{
    public JsonObject ToJson()
    {
        var context = new JsonObject();
        if (Identity is not null)
        {
            context["targetingKey"] = Identity;
        }
        foreach (var (name, value) in Traits)
        {
            context[name] = JsonValue.Create(value);
        }
        return context;
    }

    public override string ToString() => $"{Identity ?? "(no identity)"} {JsonSerializer.Serialize(Traits)}";
}

public sealed record FlagdResolution(string? Variant, JsonNode? Value, string Reason, string? ErrorCode);

public sealed record FlagdEvaluation(JsonObject Metadata, IReadOnlyList<FlagdResolution> Results, IReadOnlyList<int> Buckets);

/// <summary>
/// Runs scripts/flagd-evaluate.mjs: OpenFeature's flagd evaluation core (the pinned npm package) loads the file with
/// strict schema validation and resolves each case; it also tells which of 10,000 buckets flagd's fractional puts a text in.
/// </summary>
public static class FlagdEvaluator
{
    public static async Task<FlagdEvaluation> EvaluateAsync(
        byte[] flagFile, IReadOnlyList<(string Flag, FlagdContext Context)> cases, IReadOnlyList<string> bucketTexts)
    {
        var folder = Directory.CreateTempSubdirectory("flagd-");
        try
        {
            var flags = Path.Combine(folder.FullName, "flags.flagd.json");
            await File.WriteAllBytesAsync(flags, flagFile);
            var request = new JsonObject
            {
                ["flags"] = flags,
                ["cases"] = new JsonArray(cases.Select(c => (JsonNode)new JsonObject { ["flag"] = c.Flag, ["context"] = c.Context.ToJson() }).ToArray()),
                ["buckets"] = new JsonArray(bucketTexts.Select(t => (JsonNode)JsonValue.Create(t)).ToArray()),
            };
            var requestPath = Path.Combine(folder.FullName, "request.json");
            await File.WriteAllTextAsync(requestPath, request.ToJsonString());

            var start = new ProcessStartInfo("node")
            {
                ArgumentList = { Path.Combine(RepositoryPaths.Root, "scripts", "flagd-evaluate.mjs"), requestPath },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start node.");
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
            await process.WaitForExitAsync(timeout.Token);
            Assert.True(process.ExitCode == 0, $"flagd-evaluate.mjs exited with {process.ExitCode}: {await error}");

            var answer = JsonNode.Parse(await output)!.AsObject();
            var results = answer["results"]!.AsArray().Select(r => new FlagdResolution(
                (string?)r!["variant"], r["value"]?.DeepClone(), (string)r["reason"]!, (string?)r["errorCode"])).ToList();
            return new FlagdEvaluation(answer["metadata"]!.AsObject(), results, answer["buckets"]!.AsArray().Select(b => (int)b!).ToList());
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
