using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using ProjectExports.Http;
using ProjectExports.Imports;

namespace ProjectExports.Functions.Imports;

public sealed class ValidateImport(ImportHttpHandlers handlers)
{
    [Function("ValidateImport")]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Function, "post", Route = Routes.ImportValidate)] HttpRequest request, string projectId) =>
        handlers.ValidateAsync(request, projectId);
}
