using ScenarioKit.Hub.Storage;
using ScenarioKit.Hub.Tests.Support;

namespace ScenarioKit.Hub.Tests.Storage;

/// <summary>The store contract on a real SQLite file, plus what only SQLite promises.</summary>
public sealed class SqliteHubStoreTests : HubStoreContract
{
    readonly TempDatabase _database = new();
    readonly SqliteHubStore _store;

    public SqliteHubStoreTests() => _store = new SqliteHubStore(_database.Path);

    protected override IHubStore Store => _store;

    readonly List<SqliteHubStore> _reopened = [];

    protected override IHubStore Reopen()
    {
        var store = new SqliteHubStore(_database.Path);
        _reopened.Add(store);
        return store;
    }

    public override void Dispose()
    {
        foreach (var store in _reopened) store.Dispose();
        _store.Dispose();
        _database.Dispose();
    }

    [Fact]
    public async Task An_update_must_carry_the_next_version()
    {
        var entry = HubData.Entry("h1", "k1");
        await _store.InsertEntryAsync(entry, TestContext.Current.CancellationToken);

        await Assert.ThrowsAsync<ArgumentException>(() => _store.UpdateEntryAsync(entry with { Version = 5 }, 1, TestContext.Current.CancellationToken));
    }

    [Fact]
    public void The_folder_of_a_new_database_is_created()
    {
        var nested = Path.Combine(_database.Folder, "a", "b", "hub.db");

        using var _ = new SqliteHubStore(nested);

        Assert.True(File.Exists(nested));
    }
}
