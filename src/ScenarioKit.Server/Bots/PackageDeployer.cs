using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ScenarioKit.Engine;
using ScenarioKit.Model;
using ScenarioKit.Server.Hosting;
using ScenarioKit.Storage;

namespace ScenarioKit.Server.Bots;

/// <summary>
/// Loads packages into the engine and the catalog. Every deployed package is also archived in the store, so
/// after a restart a conversation that started on a version no longer in the deployment folder can still be
/// finished on that exact version (issue 6: a conversation stays on the package version it started on).
/// </summary>
internal sealed class PackageDeployer(
    ScenarioCatalog catalog,
    IPackageArchive archive,
    IActionInvoker actions,
    TimeProvider time,
    ILoggerFactory loggers,
    IHandoffQueue? queue = null) : IDisposable
{
    readonly ILogger _logger = loggers.CreateLogger("ScenarioKit.Deploy");
    readonly SemaphoreSlim _restoreGate = new(1, 1);

    /// <exception cref="ScenarioSourceException">The engine cannot run the package.</exception>
    public async Task<IScenarioBot> DeployAsync(ScenarioPackage package, CancellationToken cancellationToken)
    {
        var bot = CreateBot(package);
        await archive.SavePackageAsync(package.Manifest.Id, package.Manifest.Version, package.Manifest.ContentHash, PackageFormat.Write(package), cancellationToken).ConfigureAwait(false);
        catalog.Deploy(bot);
        if (_logger.IsEnabled(LogLevel.Information))
            _logger.LogInformation("Serving scenario {Id} {Version} ({Hash}).", package.Manifest.Id, package.Manifest.Version, package.Manifest.ContentHash);
        return bot;
    }

    /// <summary>Brings back an archived version for conversations that still run on it, without making it the version new conversations get.</summary>
    public async Task<IScenarioBot?> RestoreAsync(string scenarioId, string version, CancellationToken cancellationToken)
    {
        await _restoreGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (catalog.Find(scenarioId, version) is { } loaded) return loaded;
            var bytes = await archive.GetPackageAsync(scenarioId, version, cancellationToken).ConfigureAwait(false);
            if (bytes is null) return null;
            using var stream = new MemoryStream(bytes);
            var bot = CreateBot(PackageFormat.Read(stream));
            catalog.DeployOlder(bot);
            if (_logger.IsEnabled(LogLevel.Information))
                _logger.LogInformation("Restored archived scenario {Id} {Version} for a running conversation.", scenarioId, version);
            return bot;
        }
        finally
        {
            _restoreGate.Release();
        }
    }

    public void Dispose() => _restoreGate.Dispose();

    EngineScenarioBot CreateBot(ScenarioPackage package)
    {
        try
        {
            var runtime = ScenarioRuntime.Load(package);
            return new EngineScenarioBot(runtime, actions, time, loggers.CreateLogger("ScenarioKit.Scenario." + package.Manifest.Id), queue);
        }
        catch (Engine.ScenarioLoadException e)
        {
            throw new ScenarioSourceException(e.Message);
        }
    }
}

/// <summary>
/// Watches folders of packages: a newly copied <c>.skpkg</c> (a new version, or a changed one) is deployed
/// without a restart; conversations already running stay on their version.
/// </summary>
internal sealed class PackageFolderWatcher(ScenarioServerOptions options, ScenarioCatalog catalog, PackageDeployer deployer, ILogger<PackageFolderWatcher> logger) : BackgroundService
{
    readonly ConcurrentDictionary<string, (long Length, DateTime Modified)> _seen = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var folders = options.Sources.Where(ScenarioSources.IsPackageFolder).ToList();
        if (folders.Count == 0 || options.PackageRescanInterval <= TimeSpan.Zero) return;
        foreach (var folder in folders) Scan(folder, deploy: false);
        using var timer = new PeriodicTimer(options.PackageRescanInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            foreach (var folder in folders) await ScanAndDeployAsync(folder, stoppingToken).ConfigureAwait(false);
        }
    }

    async Task ScanAndDeployAsync(string folder, CancellationToken cancellationToken)
    {
        foreach (var path in Scan(folder, deploy: true))
        {
            try
            {
                var package = ScenarioSources.ReadPackage(path);
                var loaded = catalog.Find(package.Manifest.Id, package.Manifest.Version) as EngineScenarioBot;
                if (loaded?.ContentHash == package.Manifest.ContentHash) continue;
                await deployer.DeployAsync(package, cancellationToken).ConfigureAwait(false);
            }
            catch (ScenarioSourceException e)
            {
                logger.LogWarning("Package {Path} was not deployed: {Reason}", path, e.Message);
            }
        }
    }

    List<string> Scan(string folder, bool deploy)
    {
        var changed = new List<string>();
        if (!Directory.Exists(folder)) return changed;
        foreach (var path in Directory.EnumerateFiles(folder, "*" + PackageFormat.FileExtension))
        {
            var info = new FileInfo(path);
            var stamp = (info.Length, info.LastWriteTimeUtc);
            if (_seen.TryGetValue(path, out var previous) && previous == stamp) continue;
            _seen[path] = stamp;
            if (deploy) changed.Add(path);
        }
        return changed;
    }
}
