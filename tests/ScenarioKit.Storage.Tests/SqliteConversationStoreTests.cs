using ScenarioKit.Storage;

namespace ScenarioKit.Storage.Tests;

/// <summary>The storage contract on a real SQLite file; a second node is a second store over the same file.</summary>
public sealed class SqliteConversationStoreTests : ConversationStoreContract
{
    readonly string _folder = Path.Combine(Path.GetTempPath(), "sk-store-" + Guid.NewGuid().ToString("N"));

    protected override Task<object> CreateStoreAsync() => Task.FromResult<object>(new SqliteConversationStore(Path.Combine(_folder, "scenariokit.db")));

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_folder, recursive: true); }
        catch (IOException) { }
    }
}
