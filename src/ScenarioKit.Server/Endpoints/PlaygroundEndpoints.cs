using System.Net;
using System.Text;
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

    /// <summary>Where index.html takes the notice that actions are mocked.</summary>
    const string MockNoticeSlot = "<!-- mock-notice -->";

    public static void Map(WebApplication app, ScenarioCatalog catalog, DirectLineEndpoints directLine, IReadOnlyList<string> mockedActions)
    {
        var index = ReadIndex(mockedActions);
        app.MapGet("/", () => Results.Bytes(index, "text/html; charset=utf-8"));
        app.MapGet("/webchat.js", (HttpContext context) =>
        {
            var path = Path.Combine(AppContext.BaseDirectory, "wwwroot", "webchat.js");
            if (!File.Exists(path))
                return Results.Text("// webchat.js was not bundled into this build (it was built with -p:SkipWebChatBundle=true; rebuild without it).\n", "text/javascript; charset=utf-8", statusCode: 404);
            context.Response.Headers.CacheControl = "public, max-age=3600";
            return Results.File(path, "text/javascript; charset=utf-8");
        });
        app.MapGet("/favicon.ico", () => Results.NoContent());
        app.MapGet("/api/scenarios", () => Results.Json(new
        {
            @default = catalog.DefaultScenarioId,
            scenarios = catalog.List().Select(s => new { id = s.Id, versions = s.Versions, locale = catalog.Resolve(s.Id, null)?.Locale }),
            mockedActions,
        }));
        app.MapPost("/playground/token", directLine.PlaygroundTokenAsync);
    }

    /// <summary>The page, with the mock notice rendered in (no script needed to see it).</summary>
    static byte[] ReadIndex(IReadOnlyList<string> mockedActions)
    {
        using var stream = typeof(PlaygroundEndpoints).Assembly.GetManifestResourceStream(IndexResource)
            ?? throw new InvalidOperationException($"The embedded resource {IndexResource} is missing from the build.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var html = reader.ReadToEnd();
        if (!html.Contains(MockNoticeSlot, StringComparison.Ordinal))
            throw new InvalidOperationException($"{IndexResource} has no {MockNoticeSlot} slot.");
        return Encoding.UTF8.GetBytes(html.Replace(MockNoticeSlot, MockNotice(mockedActions), StringComparison.Ordinal));
    }

    static string MockNotice(IReadOnlyList<string> mockedActions) => mockedActions.Count == 0 ? "" :
        $"""
        <div id="mock-notice" role="status"><strong>デモ · Demo</strong>: これらのアクションはモックが答えます（実際の API は呼ばれません）· these actions are mocked, no real API is called: <code>{WebUtility.HtmlEncode(string.Join(", ", mockedActions))}</code></div>
        """;
}
