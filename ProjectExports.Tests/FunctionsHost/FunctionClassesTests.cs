using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ProjectExports.Functions;
using ProjectExports.Storage;

namespace ProjectExports.Tests.FunctionsHost;

/// <summary>Every class with a [Function] constructs from the Functions app's own service registration.</summary>
public sealed class FunctionClassesTests
{
    private static IEnumerable<string> ClassNames() => typeof(FunctionsAppServices).Assembly.GetTypes()
        .Where(t => t.GetMethods().Any(m => m.GetCustomAttribute<FunctionAttribute>() is not null))
        .Select(t => t.FullName!);

    public static TheoryData<string> FunctionClasses => [.. ClassNames()];

    [Theory]
    [MemberData(nameof(FunctionClasses))]
    public void Constructs_from_the_apps_services_with_scope_and_build_validation(string typeName)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [StorageNames.ConnectionSetting] = "UseDevelopmentStorage=true",
        }).Build();
        using var services = new ServiceCollection()
            .AddLogging()
            .AddFunctionsAppServices(configuration)
            .BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
        using var scope = services.CreateScope();
        var type = typeof(FunctionsAppServices).Assembly.GetType(typeName)!;

        Assert.NotNull(ActivatorUtilities.CreateInstance(scope.ServiceProvider, type));
    }

    [Fact]
    public void The_classes_are_exactly_those_of_the_built_function_metadata()
    {
        using var metadata = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(FunctionsWorkerFixture.AppDirectory, "functions.metadata")));
        var entryTypes = metadata.RootElement.EnumerateArray().Select(f => f.GetProperty("entryPoint").GetString()!).Select(e => e[..e.LastIndexOf('.')]);
        Assert.Equal(entryTypes.Order(), ClassNames().Order());
    }
}
