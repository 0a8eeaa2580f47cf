using ScenarioKit.Server.Hosting;

namespace ScenarioKit.LoadTest;

/// <summary>
/// The real server (the same code as <c>scenariokit serve</c>) in this process on 127.0.0.1, a free port, SQLite in a
/// temp folder unless <c>--database</c> names one. Disposing stops it and deletes the folder.
/// </summary>
sealed class InProcessServer : IAsyncDisposable
{
    readonly ScenarioServer _server;
    readonly string _tempDir;

    InProcessServer(ScenarioServer server, string tempDir, string url)
    {
        _server = server;
        _tempDir = tempDir;
        Url = url;
    }

    public string Url { get; }

    public static async Task<InProcessServer> StartAsync(Program.Options options, Action<ScenarioServerOptions>? configure = null)
    {
        var tempDir = Path.Combine(Path.GetTempPath(), "scenariokit-load-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(tempDir);
        var server = ScenarioServer.Create(["--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning"], o =>
        {
            o.Sources.Add(Program.FindScenario(options));
            o.DatabasePath = options.Database ?? Path.Combine(tempDir, "load.db");
            o.DurableCommits = options.Durable;
            // The reference conversation ends with a handoff. In hub mode (the default) with no agent online the
            // customer would get the scenario's onTimeout path; channel mode keeps measuring the same work as
            // before the hub existed (the handoff.initiate event goes to the channel).
            o.Handoff.Mode = HandoffMode.Channel;
            configure?.Invoke(o);
        });
        await server.StartAsync();
        return new InProcessServer(server, tempDir, server.Urls.Single().ToString().TrimEnd('/'));
    }

    public async ValueTask DisposeAsync()
    {
        await _server.StopAsync();
        await _server.DisposeAsync();
        try { Directory.Delete(_tempDir, recursive: true); } catch (IOException) { }
    }
}
