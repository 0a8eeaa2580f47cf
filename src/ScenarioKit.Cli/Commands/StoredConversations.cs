using Microsoft.Data.Sqlite;
using Npgsql;
using ScenarioKit.Cli.Console;
using ScenarioKit.Server.Hosting;

namespace ScenarioKit.Cli.Commands;

/// <summary>
/// How <c>report</c>, <c>purge</c> and <c>graph --traffic</c> reach the conversations <c>serve</c> stored: the same
/// <c>ScenarioKit:Storage:*</c> settings (./appsettings.json, <c>ScenarioKit__…</c> environment variables), so a
/// PostgreSQL deployment is read where its nodes write; <c>--db</c> names a SQLite file and wins.
/// </summary>
internal static class StoredConversations
{
    /// <summary>serve's options with <c>--db</c> applied: a file given on the command line means SQLite, whatever the configuration says.</summary>
    public static ScenarioServerOptions Options(string? databaseFile)
    {
        var options = ScenarioServer.ReadOptions([]);
        if (databaseFile is not null || options.Storage.Provider == StorageProvider.Sqlite)
        {
            options.Storage.Provider = StorageProvider.Sqlite;
            options.DatabasePath = Path.GetFullPath(databaseFile ?? options.DatabasePath);
        }
        return options;
    }

    /// <summary>The file's path, or "PostgreSQL" (the connection string holds the password and is never printed).</summary>
    public static string Describe(ScenarioServerOptions options) =>
        options.Storage.Provider == StorageProvider.Sqlite ? options.DatabasePath : "PostgreSQL";

    /// <summary>
    /// Opens the store and runs <paramref name="action"/> on it. A SQLite file must exist (a typo must not leave an
    /// empty database behind); a store that cannot be opened or read is "error: …" with exit 1.
    /// </summary>
    public static async Task<int> RunAsync(CliContext context, ScenarioServerOptions options, Func<ToolStore, Task<int>> action)
    {
        if (options.Storage.Provider == StorageProvider.Sqlite && !File.Exists(options.DatabasePath))
            return CommandGuard.Fail(context, $"no ScenarioKit database at {options.DatabasePath}. Name the file serve uses with --db, or set ScenarioKit:Storage:Provider=postgres and its ConnectionString as serve has them.");
        return await GuardAsync(context, options, async () =>
        {
            await using var store = await ServerStorage.OpenToolStoreAsync(options, CancellationToken.None);
            return await action(store);
        });
    }

    /// <summary>Runs <paramref name="action"/> on the configured store, a store that cannot be opened or read being "error: …" with exit 1.</summary>
    public static async Task<int> GuardAsync(CliContext context, ScenarioServerOptions options, Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (StorageStartupException e)
        {
            return CommandGuard.Fail(context, e.Message);
        }
        catch (Exception e) when (e is SqliteException or NpgsqlException)
        {
            return CommandGuard.Fail(context, $"{Describe(options)}: {e.Message}");
        }
    }
}
