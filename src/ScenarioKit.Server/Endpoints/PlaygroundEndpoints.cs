using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using ScenarioKit.Server.Bots;
using ScenarioKit.Server.DirectLine;

namespace ScenarioKit.Server.Endpoints;

/// <summary>
/// <c>/</c>: the Web Chat playground. webchat.js (botframework-webchat 4.18.1, copied into the build output
/// by the project file) is served from this server, so the page works with no internet access.
/// </summary>
internal static class PlaygroundEndpoints
{
    const string IndexResource = "ScenarioKit.Server.Playground.index.html";

    public static void Map(WebApplication app, ScenarioCatalog catalog, DirectLineEndpoints directLine)
    {
        var index = ReadIndex();
        app.MapGet("/", () => Results.Bytes(index, "text/html; charset=utf-8"));
        app.MapGet("/webchat.js", (HttpContext context) =>
        {
            var path = Path.Combine(AppContext.BaseDirectory, "wwwroot", "webchat.js");
            if (!File.Exists(path))
                return Results.Text("// webchat.js was not bundled into this build (npm ci in tests/clients, then rebuild).\n", "text/javascript; charset=utf-8", statusCode: 404);
            context.Response.Headers.CacheControl = "public, max-age=3600";
            return Results.File(path, "text/javascript; charset=utf-8");
        });
        app.MapGet("/favicon.ico", () => Results.NoContent());
        app.MapGet("/api/scenarios", () => Results.Json(new
        {
            @default = catalog.DefaultScenarioId,
            scenarios = catalog.List().Select(s => new { id = s.Id, versions = s.Versions, locale = catalog.Resolve(s.Id, null)?.Locale }),
        }));
        app.MapPost("/playground/token", directLine.PlaygroundTokenAsync);
    }

    static byte[] ReadIndex()
    {
        using var stream = typeof(PlaygroundEndpoints).Assembly.GetManifestResourceStream(IndexResource)
            ?? throw new InvalidOperationException($"The embedded resource {IndexResource} is missing from the build.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }
}
