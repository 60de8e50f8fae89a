using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using ProjectExports.Exports;
using ProjectExports.Http;

namespace ProjectExports.Functions.Exports;

public sealed class DownloadExport(ExportHttpHandlers handlers)
{
    [Function("DownloadExport")]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Function, "get", "head", Route = Routes.ExportDownload)] HttpRequest request, string projectId, string exportId) =>
        handlers.DownloadAsync(request, projectId, exportId);
}
