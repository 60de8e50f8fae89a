using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using ProjectExports.Functions;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
// After the ASP.NET Core integration's middleware, so the gate sees the HttpContext and its answer is executed.
builder.UseMiddleware<ApiGateMiddleware>();
builder.Services.AddFunctionsAppServices(builder.Configuration);
builder.Build().Run();
