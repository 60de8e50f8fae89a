using ProjectExports.LocalHost;
using ProjectExports.LocalHost.Management;

if (ManagementCommand.Handles(args))
{
    var configuration = new ConfigurationBuilder()
        .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
        .AddEnvironmentVariables()
        .Build();
    return await ManagementCommand.RunAsync(args, configuration, Console.Out, Console.Error, CancellationToken.None);
}

await LocalHostApp.Create(args).RunAsync();
return 0;
