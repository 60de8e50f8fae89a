using ProjectExports.LocalHost;

var commandLine = new LocalHostCommandLine(
    serve: async (hostArgs, cancellationToken) =>
    {
        await LocalHostApp.Create(hostArgs).RunAsync(cancellationToken);
        return 0;
    },
    configuration: () =>
    {
        var configuration = new ConfigurationManager();
        configuration.AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true).AddEnvironmentVariables();
        LocalStorageDefault.AddTo(configuration);
        return configuration;
    });
return await commandLine.RunAsync(args, Console.Out, Console.Error, CancellationToken.None);
