using System.Text.Json;
using ProjectExports.Projects;
using ProjectExports.Storage;

namespace ProjectExports.Jobs;

/// <summary>
/// A job's queue message: ids only, <c>{"projectId": …, "exportId": …}</c> (the id's name is the kind's), since
/// everything else is in the record.
/// </summary>
public static class JobMessages
{
    public static string Write(string idName, string projectId, string id)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("projectId", projectId);
            writer.WriteString(idName, id);
            writer.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>
    /// The ids, or a <see cref="FormatException"/>: a malformed message fails every delivery, so the host moves it to
    /// the poison queue for someone to look at, instead of it vanishing.
    /// </summary>
    public static (string ProjectId, string Id) Read(string text, string idName, string noun)
    {
        string? projectId = null, id = null;
        JsonException? error = null;
        try
        {
            using var message = JsonDocument.Parse(text);
            // Exactly the two ids: a message with more was not written by this app.
            if (message.RootElement.ValueKind == JsonValueKind.Object && message.RootElement.EnumerateObject().Count() == 2)
            {
                projectId = Text(message.RootElement, "projectId");
                id = Text(message.RootElement, idName);
            }
        }
        catch (JsonException e)
        {
            error = e;
        }
        return ProjectIds.IsValid(projectId) && NewestFirstIds.IsValid(id)
            ? (projectId!, id!)
            : throw new FormatException($"The queue message ({text.Length} characters) is not an {noun} request: JSON {{\"projectId\": …, \"{idName}\": …}} with a valid project id and {noun} id.", error);
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
