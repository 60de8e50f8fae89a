using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace ProjectExports.Tests.Deployment;

/// <summary>
/// The API Management policy does what the README promises: the function key goes in from the named value the
/// Bicep creates, the subscription key goes out, the caller's Authorization header is left alone, and calls go
/// to the backend the Bicep declares.
/// </summary>
public sealed class ApimPolicyTests
{
    private static readonly XElement Inbound = XDocument.Load(Path.Combine(BicepCli.InfraRoot, "app", "apim-policy.xml")).Root!.Element("inbound")!;
    private static readonly string ApimModule = File.ReadAllText(Path.Combine(BicepCli.InfraRoot, "app", "apim.bicep"));

    private static string BicepVariable(string name) =>
        Regex.Match(ApimModule, $@"(?m)^var {name} = '([^']+)'$") is { Success: true } m ? m.Groups[1].Value
        : throw new InvalidOperationException($"apim.bicep declares no variable {name}.");

    private static IEnumerable<XElement> Named(string element, string name) =>
        Inbound.Elements(element).Where(e => (string?)e.Attribute("name") == name);

    [Fact]
    public void The_function_key_is_set_from_the_secret_named_value()
    {
        var header = Assert.Single(Named("set-header", "x-functions-key"));
        Assert.Equal("override", (string?)header.Attribute("exists-action"));
        Assert.Equal($"{{{{{BicepVariable("functionKeyNamedValue")}}}}}", header.Element("value")?.Value);
        Assert.Contains("secret: true", ApimModule, StringComparison.Ordinal);
    }

    [Fact]
    public void The_subscription_key_is_removed_before_the_backend()
    {
        Assert.Equal("delete", (string?)Assert.Single(Named("set-header", "Ocp-Apim-Subscription-Key")).Attribute("exists-action"));
        Assert.Equal("delete", (string?)Assert.Single(Named("set-query-parameter", "subscription-key")).Attribute("exists-action"));
        // The names removed are the ones the API is configured to accept.
        Assert.Contains("header: 'Ocp-Apim-Subscription-Key'", ApimModule, StringComparison.Ordinal);
        Assert.Contains("query: 'subscription-key'", ApimModule, StringComparison.Ordinal);
    }

    [Fact]
    public void The_callers_authorization_header_passes_through_untouched()
    {
        Assert.DoesNotContain(Inbound.Descendants(), e => string.Equals((string?)e.Attribute("name"), "Authorization", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Calls_go_to_the_function_app_backend()
    {
        Assert.Equal(BicepVariable("backendName"), (string?)Assert.Single(Inbound.Elements("set-backend-service")).Attribute("backend-id"));
        Assert.Contains("url: 'https://${functionApp.properties.defaultHostName}/api'", ApimModule, StringComparison.Ordinal);
    }
}
