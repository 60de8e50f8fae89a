using Microsoft.AspNetCore.Http;
using ProjectExports.Audit;
using ProjectExports.Http;
using ProjectExports.Security;
using ProjectExports.Storage;

namespace ProjectExports.Projects;

/// <summary>
/// The project endpoints, written once for both hosts. Creating a project is for admins of every project only (an
/// all-projects API key or the admin role); listing shows each caller the projects it administers. Create and list
/// are behind the caller gate, get behind the project gate (<see cref="ApiGate"/>).
/// </summary>
public sealed class ProjectHttpHandlers(ProjectStore projects, ProjectDirectory directory, ProjectGrantStore grants, AuditLog audit)
{
    public const long MaxCreateBodyBytes = 16 * 1024;
    public const int MaxNameLength = 200;
    public const string RelatedObjectType = "PROJECT";

    /// <summary>
    /// PUT /projects/{projectId}: 201 with Location when it creates the project; 200 when a project of that id and
    /// name exists (a retried create); 409 when one exists under another name (PUT never renames).
    /// </summary>
    public async Task<IResult> CreateAsync(HttpRequest request, string projectId, AuthenticatedCaller caller)
    {
        var cancellationToken = request.HttpContext.RequestAborted;
        if (!ProjectIds.IsValid(projectId)) return Problems.InvalidProjectId();
        if (!caller.AllProjects)
        {
            return Problems.Create(StatusCodes.Status403Forbidden, "not_all_projects_admin", "Forbidden.",
                "Only an admin of all projects (an all-projects API key, or a token with the admin role) can create projects.");
        }
        var read = await RequestBodies.ReadJsonAsync(request, ApiJsonContext.Wire.CreateProjectRequest, MaxCreateBodyBytes, () => new CreateProjectRequest { Name = "" }, cancellationToken);
        if (!read.TryGetValue(out var body, out var problem)) return problem;
        var name = body.Name;
        if (string.IsNullOrWhiteSpace(name) || name.Length > MaxNameLength || name.Any(char.IsControl))
        {
            return Problems.BadRequest("invalid_project_name", $"Give the project a 'name' of 1 to {MaxNameLength} characters, not only spaces and without control characters.");
        }

        var created = await projects.CreateAsync(new Project { Id = projectId, Name = name }, cancellationToken);
        if (created is not null)
        {
            await audit.WriteAsync(projectId, created.CreatedAt, RelatedObjectType, projectId, "created", "Project created",
                caller.Caller.UserId, caller.Caller.ApiKeyId, cancellationToken);
            return new JsonResultWithLocation<ProjectDetails>(new ProjectDetails(projectId, name, created.CreatedAt, new ProjectCounts(0, 0, 0)),
                ApiJsonContext.Wire.ProjectDetails, StatusCodes.Status201Created, $"{request.PathBase}{request.Path.Value?.TrimEnd('/')}");
        }
        var existing = await projects.GetProjectAsync(projectId, cancellationToken);
        if (existing is null) return Problems.StorageUnavailable(); // created and gone within one request: nothing this app does
        if (existing.Name != name)
        {
            return Problems.Create(StatusCodes.Status409Conflict, "project_exists", "The project already exists.",
                $"Project '{projectId}' already exists under another name; PUT creates projects and never renames them.");
        }
        // A retried create: the directory may lack the project if the first attempt stopped between its two writes.
        var entry = await directory.RegisterAsync(existing, cancellationToken);
        return Results.Json(new ProjectDetails(projectId, name, entry.CreatedAt, await projects.CountAsync(projectId, cancellationToken)), ApiJsonContext.Wire.ProjectDetails);
    }

    /// <summary>GET /projects: all projects for an admin of all projects, otherwise those granted to the caller; in id order, paged.</summary>
    public async Task<IResult> ListAsync(HttpRequest request, AuthenticatedCaller caller)
    {
        var cancellationToken = request.HttpContext.RequestAborted;
        if (!PageQuery.Parse(request, ProjectIds.IsValid).TryGetValue(out var query, out var problem)) return problem;

        TablePage<ProjectEntry> page;
        if (caller.AllProjects)
        {
            page = await directory.ListAsync(query.After, query.Limit, cancellationToken);
        }
        else
        {
            var granted = await grants.ListProjectsAsync(caller.Kind, caller.PrincipalId, query.After, query.Limit, cancellationToken);
            // A grant may name a project that was never created; it is not listed.
            var entries = await Task.WhenAll(granted.Items.Select(id => directory.GetAsync(id, cancellationToken)));
            page = new(entries.OfType<ProjectEntry>().ToList(), granted.ContinueAfter);
        }
        return Results.Json(new ListPage<ProjectEntry>(page.Items, ContinuationTokens.Encode(page.ContinueAfter)), ApiJsonContext.Wire.ListPageProjectEntry);
    }

    /// <summary>GET /projects/{projectId}: name, creation time and counts, for admins of the project.</summary>
    public async Task<IResult> GetAsync(HttpRequest request, string projectId)
    {
        var cancellationToken = request.HttpContext.RequestAborted;
        var entry = directory.GetAsync(projectId, cancellationToken);
        var counts = projects.CountAsync(projectId, cancellationToken);
        await Task.WhenAll(entry, counts);
        var listed = await entry;
        // The gate found the project; only one saved before the directory existed is missing from it.
        var name = listed?.Name ?? (await projects.GetProjectAsync(projectId, cancellationToken))?.Name;
        return name is null
            ? Problems.ProjectNotFound(projectId)
            : Results.Json(new ProjectDetails(projectId, name, listed?.CreatedAt, await counts), ApiJsonContext.Wire.ProjectDetails);
    }
}
