using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ProjectExports.Hosting;

namespace ProjectExports.Functions;

/// <summary>The app's own services, registered once: Program.cs calls it, and the tests construct every function from it.</summary>
public static class FunctionsAppServices
{
    public static IServiceCollection AddFunctionsAppServices(this IServiceCollection services, IConfiguration configuration) =>
        services.AddProjectExports(configuration);
}
