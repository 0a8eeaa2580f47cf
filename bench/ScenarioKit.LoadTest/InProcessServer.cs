using Microsoft.Extensions.DependencyInjection;
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

    public IServiceProvider Services => _server.Services;

    /// <param name="configureServices">Runs after the server registered its services, so what it registers wins (the layer ladder's stand-ins).</param>
    public static async Task<InProcessServer> StartAsync(Program.Options options, Action<ScenarioServerOptions>? configure = null, Action<IServiceCollection>? configureServices = null)
    {
        var tempDir = Path.Combine(Path.GetTempPath(), "scenariokit-load-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(tempDir);
        var server = Program.CreateServer(options, tempDir, configure, configureServices);
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
