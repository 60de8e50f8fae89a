using ProjectExports.LocalHost;
using ProjectExports.LocalHost.Management;

if (ManagementCommand.Handles(args))
{
    var configuration = new ConfigurationManager();
    configuration.AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true).AddEnvironmentVariables();
    LocalStorageDefault.AddTo(configuration);
    return await ManagementCommand.RunAsync(args, configuration, Console.Out, Console.Error, CancellationToken.None);
}

await LocalHostApp.Create(args).RunAsync();
return 0;
