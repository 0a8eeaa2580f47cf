using System.Collections.Concurrent;
using Npgsql;
using ScenarioKit.Storage;
using ScenarioKit.Storage.PostgreSql;
using ScenarioKit.Tests.Shared;

[assembly: AssemblyFixture(typeof(PostgresTestServer))]

namespace ScenarioKit.Storage.Tests;

/// <summary>The storage contract on a real PostgreSQL (a database per test), plus migrations and cross-node announcements.</summary>
public sealed class PostgresConversationStoreTests(PostgresTestServer server) : ConversationStoreContract
{
    string _connectionString = "";

    public override async ValueTask InitializeAsync()
    {
        _connectionString = await server.CreateDatabaseAsync();
        await base.InitializeAsync();
    }

    protected override Task<object> CreateStoreAsync() => Task.FromResult<object>(new PostgresConversationStore(_connectionString));

    [Fact]
    public async Task Migrations_are_recorded_once_and_nodes_starting_together_do_not_race()
    {
        await using var dataSource = NpgsqlDataSource.Create(_connectionString);
        await using (var drop = dataSource.CreateCommand("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            await drop.ExecuteNonQueryAsync(Ct);

        var applied = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            await using var store = new PostgresConversationStore(_connectionString);
            return await store.MigrateAsync(Ct);
        })));

        Assert.Equal(PostgresMigrations.Scripts.Count, applied.Sum());
        Assert.Equal(1, applied.Count(n => n > 0));
        await using var versions = dataSource.CreateCommand("SELECT string_agg(version::text, ',' ORDER BY version) FROM schema_migrations");
        Assert.Equal(string.Join(',', PostgresMigrations.Scripts.Select(s => s.Version)), await versions.ExecuteScalarAsync(Ct));
        await using var again = new PostgresConversationStore(_connectionString);
        Assert.Equal(0, await again.MigrateAsync(Ct));
    }

    [Fact]
    public async Task Every_node_hears_a_turn_committed_on_another_and_nothing_of_a_conflicting_one()
    {
        var heard = new BlockingCollection<(string? Key, long Seq)>();
        await using var listener = new PostgresConversationStore(_connectionString);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var listening = listener.ListenAsync((key, seq) => heard.Add((key, seq)), stop.Token);
        await WaitListeningAsync();

        await Store.Conversations.SaveAsync(new TurnWrite(Record("dl/会話", 1, 2), 0, [Activity(1, "a"), Activity(2, "b")]), Ct);
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => Store.Conversations.SaveAsync(new TurnWrite(Record("dl/会話", 1, 9), 0, []), Ct));
        await Store.Conversations.SaveAsync(new TurnWrite(Record("dl/会話", 2, 3), 1, [Activity(3, "c")]), Ct);

        Assert.True(heard.TryTake(out var first, TimeSpan.FromSeconds(10)));
        Assert.True(heard.TryTake(out var second, TimeSpan.FromSeconds(10)));
        Assert.Equal([("dl/会話", 2L), ("dl/会話", 3L)], [first, second]);
        Assert.False(heard.TryTake(out _, TimeSpan.FromMilliseconds(200)));
        await stop.CancelAsync();
        await listening;
    }

    /// <summary>
    /// A notification sent before LISTEN took effect is not delivered: wait until the listener's session shows it. Only this
    /// test's database counts: the cluster is shared with tests whose own listeners would otherwise end the wait early.
    /// </summary>
    async Task WaitListeningAsync()
    {
        await using var dataSource = NpgsqlDataSource.Create(_connectionString);
        for (var i = 0; i < 100; i++)
        {
            await using var listeners = dataSource.CreateCommand(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN %' AND state = 'idle'");
            if ((long)(await listeners.ExecuteScalarAsync(Ct))! > 0) return;
            await Task.Delay(20, Ct);
        }
        throw new TimeoutException("The listener did not start.");
    }
}
