using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;
using ScenarioKit.Storage.PostgreSql;

namespace ScenarioKit.Tests.Shared;

/// <summary>
/// A real PostgreSQL for the tests of one test assembly. With <c>SCENARIOKIT_TEST_POSTGRES</c> set (a connection string
/// whose user may CREATE DATABASE) the tests use that server. Otherwise a throw-away cluster is made with the
/// binaries under /usr/lib/postgresql/*/bin (Debian's <c>postgresql</c> package, which test.sh installs): initdb into a
/// temp folder, a free loopback port, run as the <c>postgres</c> OS user when the tests run as root (initdb refuses
/// root), stopped and deleted when the assembly's tests end. Each test gets its own database, so tests run in parallel.
/// No PostgreSQL skips the tests on a developer machine; on CI (<c>CI=true</c>) it fails them: nothing is skipped there.
/// </summary>
public sealed class PostgresTestServer : IAsyncLifetime
{
    public const string EnvironmentVariable = "SCENARIOKIT_TEST_POSTGRES";

    readonly Lock _gate = new();
    Task<string?>? _started;
    string? _unavailable;
    string? _folder;
    string? _binaries;
    string? _osUser;

    /// <summary>Nothing yet: the cluster starts with the first test that asks for a database.</summary>
    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    Task<string?> StartOnceAsync()
    {
        lock (_gate) return _started ??= StartAsync();
    }

    async Task<string?> StartAsync()
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } given) return given;
        try
        {
            return await StartClusterAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or System.ComponentModel.Win32Exception)
        {
            _unavailable = e.Message;
            return null;
        }
    }

    /// <summary>A fresh, migrated database; its connection string. Skips (fails on CI) when no PostgreSQL could be started.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var adminConnectionString = await StartOnceAsync().ConfigureAwait(false);
        if (adminConnectionString is null)
        {
            var reason = $"No PostgreSQL for the tests: {_unavailable} Install Debian's postgresql package or set {EnvironmentVariable}.";
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
                throw new InvalidOperationException(reason);
            Assert.Skip(reason);
        }
        var name = "sk_" + Guid.NewGuid().ToString("N");
        await using (var admin = new NpgsqlConnection(adminConnectionString))
        {
            await admin.OpenAsync().ConfigureAwait(false);
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
            await create.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
        var connectionString = new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = name }.ConnectionString;
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await PostgresMigrations.ApplyAsync(dataSource, CancellationToken.None).ConfigureAwait(false);
        return connectionString;
    }

    async Task<string> StartClusterAsync()
    {
        _binaries = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0).FirstOrDefault()
            : null;
        if (_binaries is null) throw new InvalidOperationException("initdb was not found under /usr/lib/postgresql/*/bin.");
        _osUser = Environment.UserName == "root" ? "postgres" : null;
        _folder = Path.Combine(Path.GetTempPath(), "sk-pg-" + Guid.NewGuid().ToString("N")[..12]);
        var data = Path.Combine(_folder, "data");
        Directory.CreateDirectory(_folder);
        if (_osUser is not null) await RunAsync("chown", ["-R", _osUser, _folder], asUser: null).ConfigureAwait(false);
        await RunAsync(Path.Combine(_binaries, "initdb"), ["-D", data, "-U", "scenariokit", "--auth=trust", "-E", "UTF8", "--no-locale", "--no-sync"], _osUser).ConfigureAwait(false);
        var port = FreePort();
        // fsync off: a test cluster is thrown away, and durability is not what these tests measure.
        var settings = $"-p {port} -k {_folder} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300";
        await RunAsync(Path.Combine(_binaries, "pg_ctl"), ["-D", data, "-l", Path.Combine(_folder, "server.log"), "-o", settings, "-w", "-t", "60", "start"], _osUser).ConfigureAwait(false);
        return $"Host=127.0.0.1;Port={port};Username=scenariokit;Database=postgres;Maximum Pool Size=50";
    }

    public async ValueTask DisposeAsync()
    {
        if (_folder is null || _binaries is null) return;
        try
        {
            await RunAsync(Path.Combine(_binaries, "pg_ctl"), ["-D", Path.Combine(_folder, "data"), "-m", "immediate", "-w", "stop"], _osUser).ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
        }
        try { Directory.Delete(_folder, recursive: true); }
        catch (IOException) { }
    }

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    static async Task RunAsync(string program, IReadOnlyList<string> arguments, string? asUser)
    {
        var start = new ProcessStartInfo(asUser is null ? program : "runuser") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (asUser is not null)
        {
            start.ArgumentList.Add("-u");
            start.ArgumentList.Add(asUser);
            start.ArgumentList.Add("--");
            start.ArgumentList.Add(program);
        }
        foreach (var a in arguments) start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Cannot start {program}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().ConfigureAwait(false);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{Path.GetFileName(program)} failed ({process.ExitCode}): {await error.ConfigureAwait(false)}{await output.ConfigureAwait(false)}");
    }
}
