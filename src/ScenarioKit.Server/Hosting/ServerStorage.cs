using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using ScenarioKit.Hub.Storage;
using ScenarioKit.Hub.Storage.PostgreSql;
using ScenarioKit.Server.Conversations;
using ScenarioKit.Storage;
using ScenarioKit.Storage.PostgreSql;

namespace ScenarioKit.Server.Hosting;

/// <summary>
/// Composes the configured store (<c>ScenarioKit:Storage:Provider</c>): SQLite at <see cref="ScenarioServerOptions.DatabasePath"/>,
/// or PostgreSQL, whose schema is migrated at start and whose turn announcements wake this node's Direct Line streams.
/// </summary>
public static class ServerStorage
{
    internal static void Add(IServiceCollection services, ScenarioServerOptions options)
    {
        if (options.Storage.Provider == StorageProvider.Postgres)
        {
            var store = OpenPostgres(options);
            Register(services, _ => store);
            services.AddSingleton<IConversationChanges>(sp => sp.GetRequiredService<PostgresConversationStore>());
            services.AddHostedService<ConversationChangesListener>();
            return;
        }
        Register(services, _ => OpenSqlite(options.DatabasePath, options.DurableCommits));
    }

    /// <summary>One store instance behind every storage contract the server uses.</summary>
    static void Register<TStore>(IServiceCollection services, Func<IServiceProvider, TStore> open)
        where TStore : class, IConversationStore, IPackageArchive, ITurnLog, IStoreRetention
    {
        services.AddSingleton(open);
        services.AddSingleton<IConversationStore>(sp => sp.GetRequiredService<TStore>());
        services.AddSingleton<IPackageArchive>(sp => sp.GetRequiredService<TStore>());
        services.AddSingleton<ITurnLog>(sp => sp.GetRequiredService<TStore>());
        services.AddSingleton<IStoreRetention>(sp => sp.GetRequiredService<TStore>());
    }

    /// <summary>
    /// The hub's store for tools (<c>scenariokit agents</c>): the same tables <c>serve</c> uses, the PostgreSQL schema
    /// migrated first so accounts can be made before the first node ever started.
    /// </summary>
    /// <exception cref="StorageStartupException">The database cannot be reached or migrated.</exception>
    public static async Task<IHubStore> OpenHubStoreAsync(ScenarioServerOptions options, CancellationToken cancellationToken)
    {
        if (options.Storage.Provider == StorageProvider.Postgres)
        {
            await using var store = OpenPostgres(options);
            await MigrateAsync(store, cancellationToken).ConfigureAwait(false);
        }
        return OpenHubStore(options);
    }

    /// <summary>
    /// The conversation store for tools (<c>scenariokit report</c>, <c>purge</c>, <c>graph --traffic</c>): the database
    /// <c>serve</c> uses, the PostgreSQL schema migrated first (a tool may run before the first node ever started).
    /// </summary>
    /// <exception cref="StorageStartupException">The database cannot be reached or migrated.</exception>
    public static async Task<ToolStore> OpenToolStoreAsync(ScenarioServerOptions options, CancellationToken cancellationToken)
    {
        if (options.Storage.Provider == StorageProvider.Postgres)
        {
            var postgres = OpenPostgres(options);
            try
            {
                await MigrateAsync(postgres, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await postgres.DisposeAsync().ConfigureAwait(false);
                throw;
            }
            return new ToolStore(postgres, postgres, postgres, postgres, postgres.Description);
        }
        var sqlite = OpenSqlite(options.DatabasePath, fullSync: true);
        return new ToolStore(sqlite, sqlite, sqlite, sqlite, sqlite.Path);
    }

    /// <summary>
    /// The hub's store beside the conversations: hub_* tables in the same SQLite file or PostgreSQL database. No migration:
    /// for a schema already migrated (by the server's start, or <see cref="OpenToolStoreAsync"/>).
    /// </summary>
    public static IHubStore OpenHubStore(ScenarioServerOptions options) =>
        options.Storage.Provider == StorageProvider.Postgres
            ? Guard(() => new PostgresHubStore(options.Storage.ConnectionString ?? ""))
            // synchronous=NORMAL for the hub's own writes even with DurableCommits: see ScenarioServer.AddHub.
            : new SqliteHubStore(options.DatabasePath, options.DurableCommits);

    /// <summary>Applies pending schema migrations (PostgreSQL) before the server takes its first turn.</summary>
    /// <exception cref="StorageStartupException">The database cannot be reached or migrated; the message names host, port, database and user, never the password.</exception>
    internal static async Task MigrateAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        if (services.GetService<PostgresConversationStore>() is { } store) await MigrateAsync(store, cancellationToken).ConfigureAwait(false);
        // Opening the SQLite file brings its layout up to date, or refuses it, here rather than at the first turn.
        services.GetService<SqliteConversationStore>();
    }

    /// <exception cref="StorageStartupException">The file has a layout this build cannot use.</exception>
    static SqliteConversationStore OpenSqlite(string path, bool fullSync)
    {
        try
        {
            return new SqliteConversationStore(path, fullSync);
        }
        catch (StoreLayoutException e)
        {
            throw new StorageStartupException(e.Message);
        }
    }

    static async Task MigrateAsync(PostgresConversationStore store, CancellationToken cancellationToken)
    {
        try
        {
            await store.MigrateAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            throw new StorageStartupException($"Cannot open {store.Description}: {e.Message}");
        }
    }

    static PostgresConversationStore OpenPostgres(ScenarioServerOptions options) =>
        Guard(() => new PostgresConversationStore(options.Storage.ConnectionString ?? ""));

    static T Guard<T>(Func<T> open)
    {
        try
        {
            return open();
        }
        catch (PostgresConfigurationException e)
        {
            throw new StorageStartupException(e.Message);
        }
    }

    /// <summary>One LISTEN connection per node: a turn any node commits wakes the streams of that conversation here.</summary>
    sealed class ConversationChangesListener(IConversationChanges changes, ConversationFeed feed, ConversationService conversations) : BackgroundService
    {
        protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
            changes.ListenAsync((key, seq) =>
            {
                if (key is null) feed.PublishAll();
                else
                {
                    conversations.OnCommitted(key, seq);
                    feed.Publish(key, seq);
                }
            }, stoppingToken);
    }
}

/// <summary>The stored conversations as a tool reads or prunes them; <see cref="Where"/> names the file or server for messages.</summary>
public sealed class ToolStore(ITurnLog turns, IPackageArchive packages, IStoreRetention retention, IAsyncDisposable owner, string where) : IAsyncDisposable
{
    public ITurnLog Turns { get; } = turns;

    public IPackageArchive Packages { get; } = packages;

    public IStoreRetention Retention { get; } = retention;

    /// <summary>The SQLite file's path, or PostgreSQL's host, port, database and user (never the password).</summary>
    public string Where { get; } = where;

    public ValueTask DisposeAsync() => owner.DisposeAsync();
}

/// <summary>The configured store cannot be used (no or a malformed connection string, an unreachable server); the message says which setting to fix.</summary>
public sealed class StorageStartupException(string message) : Exception(message);
