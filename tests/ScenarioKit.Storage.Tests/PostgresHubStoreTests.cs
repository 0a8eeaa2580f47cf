using ScenarioKit.Hub.Storage;
using ScenarioKit.Hub.Storage.PostgreSql;
using ScenarioKit.Hub.Tests.Storage;
using ScenarioKit.Tests.Shared;

namespace ScenarioKit.Storage.Tests;

/// <summary>The agent hub's store contract (ScenarioKit.Hub.Tests) on a real PostgreSQL; a reopened store is another node.</summary>
public sealed class PostgresHubStoreTests : HubStoreContract
{
    readonly string _connectionString;
    readonly PostgresHubStore _store;
    readonly List<PostgresHubStore> _reopened = [];

    public PostgresHubStoreTests(PostgresTestServer server)
    {
        _connectionString = server.CreateDatabaseAsync().GetAwaiter().GetResult();
        _store = new PostgresHubStore(_connectionString);
    }

    protected override IHubStore Store => _store;

    protected override IHubStore Reopen()
    {
        var store = new PostgresHubStore(_connectionString);
        _reopened.Add(store);
        return store;
    }

    public override void Dispose()
    {
        foreach (var store in _reopened) store.Dispose();
        _store.Dispose();
    }
}
