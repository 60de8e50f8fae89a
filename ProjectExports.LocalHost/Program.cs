using ProjectExports.LocalHost;

await LocalHostApp.Create(args).RunAsync();
