using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ScenarioKit.Server.Bots;
using ScenarioKit.Server.Hosting;

namespace ScenarioKit.Server.Tests.Infrastructure;

/// <summary>A real Kestrel server on 127.0.0.1 with a free port and a real SQLite file in a temp directory.</summary>
internal sealed class TestServer : IAsyncDisposable
{
    public ScenarioServer Server { get; }
    public Uri BaseAddress { get; }
    public HttpClient Http { get; }
    public string Directory { get; }
    public string DatabasePath { get; }

    TestServer(ScenarioServer server, string directory, string databasePath)
    {
        Server = server;
        Directory = directory;
        DatabasePath = databasePath;
        BaseAddress = server.Urls.Single(u => u.Host == "127.0.0.1");
        Http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public static async Task<TestServer> StartAsync(
        IEnumerable<IScenarioBot>? bots = null,
        Action<ScenarioServerOptions>? configure = null,
        Action<IServiceCollection>? services = null,
        string? directory = null,
        IEnumerable<string>? args = null)
    {
        directory ??= TempDirectory.Create();
        var db = Path.Combine(directory, "scenariokit.db");
        var server = ScenarioServer.Create(
            ["--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning", .. args ?? []],
            o =>
            {
                o.DatabasePath = db;
                o.DurableCommits = false;
                configure?.Invoke(o);
            },
            services,
            bots ?? [new ReferenceBot()]);
        await server.StartAsync();
        return new TestServer(server, directory, db);
    }

    public T Service<T>() where T : notnull => Server.Services.GetRequiredService<T>();

    public async Task<HttpResponseMessage> PostJsonAsync(string path, string json, string? authorization = null, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (authorization is not null) request.Headers.TryAddWithoutValidation("Authorization", authorization);
        return await Http.SendAsync(request);
    }

    public async Task<JsonElement> PostJsonForJsonAsync(string path, string json, string? authorization = null)
    {
        using var response = await PostJsonAsync(path, json, authorization);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST {path} → {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Server.StopAsync();
        await Server.DisposeAsync();
    }
}

internal static class TempDirectory
{
    public static string Create()
    {
        var path = Path.Combine(Path.GetTempPath(), "scenariokit-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(path);
        return path;
    }
}

/// <summary>The reference conversation's user activities (tests/clients/reference.js userActivity()).</summary>
internal static class Reference
{
    public static readonly string[] UserTurns = ["hello", "where is my order", "abc", "12345678", "talk to a human"];

    public static string UserActivity(string conversation, int turn, bool expectReplies = true, string? text = null) => JsonSerializer.Serialize(new Dictionary<string, object?>
    {
        ["type"] = "message",
        ["id"] = $"{conversation}-{turn + 1}",
        ["timestamp"] = "2025-06-01T09:00:00.000Z",
        ["channelId"] = "bench",
        ["serviceUrl"] = "http://127.0.0.1:9/",
        ["from"] = new { id = $"user-{conversation}", name = "Customer", role = "user" },
        ["recipient"] = new { id = "bot", name = "Support Bot", role = "bot" },
        ["conversation"] = new { id = $"conv-{conversation}" },
        ["locale"] = "en-US",
        ["text"] = text ?? UserTurns[turn],
        ["deliveryMode"] = expectReplies ? "expectReplies" : null,
    });
}
