using ScenarioKit.Storage;

namespace ScenarioKit.Storage.Tests;

/// <summary>The storage contract on a real SQLite file; a second node is a second store over the same file.</summary>
public sealed class SqliteConversationStoreTests : ConversationStoreContract
{
    readonly string _folder = Path.Combine(Path.GetTempPath(), "sk-store-" + Guid.NewGuid().ToString("N"));

    protected override Task<object> CreateStoreAsync() => Task.FromResult<object>(new SqliteConversationStore(Path.Combine(_folder, "scenariokit.db")));

    [Fact]
    public async Task Empty_text_and_empty_json_are_stored_as_empty_not_as_null()
    {
        var record = Record("", 1, 1, state: "") with { UserId = "", ScenarioVersion = "" };
        var write = new TurnWrite(record, 0, [new StoredActivity(1, "", Array.Empty<byte>())])
        {
            Turn = new TurnLogEntry("", 1, Start, "", "", Array.Empty<byte>()),
        };

        await Store.Conversations.SaveAsync(write, Ct);

        var read = await Store.Conversations.GetAsync("", Ct);
        Assert.Equal(record with { State = default }, read! with { State = default });
        Assert.Equal(0, read.State.Length);
        var activity = Assert.Single(await Store.Conversations.ReadActivitiesAsync("", 0, 10, Ct));
        Assert.Equal((1L, "", 0), (activity.Seq, activity.Type, activity.Json.Length));
        var turn = Assert.Single(await ReadTurnsAsync(new TurnLogQuery()));
        Assert.Equal(("", "", 0), (turn.ScenarioId, turn.ScenarioVersion, turn.Json.Length));
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_folder, recursive: true); }
        catch (IOException) { }
    }
}
