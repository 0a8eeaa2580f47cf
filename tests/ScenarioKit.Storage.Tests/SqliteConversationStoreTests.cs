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

    [Fact]
    public async Task A_conversation_whose_key_holds_a_lone_surrogate_goes_on_turn_after_turn()
    {
        // A channel may send any string as the conversation id. The writer and the readers must encode it alike, or
        // the row is written under bytes no lookup finds and every later turn is a conflict.
        const string key = "dl|会話\uD800x";
        await Store.Conversations.SaveAsync(new TurnWrite(Record(key, 1, 1), 0, [Activity(1, "hello")]), Ct);

        var first = await Store.Conversations.GetAsync(key, Ct);
        Assert.NotNull(first);
        await Store.Conversations.SaveAsync(new TurnWrite(Record(key, 2, 2), 1, [Activity(2, "again")]), Ct);

        Assert.Equal(2, (await Store.Conversations.GetAsync(key, Ct))!.Version);
        Assert.Equal([1L, 2L], (await Store.Conversations.ReadActivitiesAsync(key, 0, 10, Ct)).Select(a => a.Seq));
    }

    [Fact]
    public async Task Lookups_on_many_threads_beside_the_writer_see_every_committed_turn()
    {
        // The readers' connections and prepared statements are pooled: each lookup must still be a fresh read
        // transaction (a reused statement must not serve a snapshot from before the turn it waited for).
        const int Conversations = 16, Turns = 20;
        await Parallel.ForAsync(0, Conversations, Ct, async (c, ct) =>
        {
            var key = "会話/" + c;
            for (var turn = 1; turn <= Turns; turn++)
            {
                await Store.Conversations.SaveAsync(new TurnWrite(Record(key, turn, turn), turn - 1, [Activity(turn, "番号 " + turn)]), ct);
                Assert.Equal(turn, (await Store.Conversations.GetAsync(key, ct))!.Version);
                var activities = await Store.Conversations.ReadActivitiesAsync(key, 0, 100, ct);
                Assert.Equal(Enumerable.Range(1, turn).Select(n => (long)n), activities.Select(a => a.Seq));
            }
        });
        Assert.Null(await Store.Conversations.GetAsync("会話/none", Ct));
    }

    [Fact]
    public async Task A_disposed_store_refuses_lookups()
    {
        var store = new SqliteConversationStore(Path.Combine(_folder, "disposed.db"));
        await store.SaveAsync(new TurnWrite(Record("k", 1, 1), 0, [Activity(1, "a")]), Ct);
        Assert.NotNull(await store.GetAsync("k", Ct));
        await store.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.GetAsync("k", Ct));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.ReadActivitiesAsync("k", 0, 10, Ct));
    }

    [Fact]
    public async Task Activities_whose_seqs_do_not_ascend_are_refused_and_nothing_is_written()
    {
        // A packed row is found by its last seq: a row ending lower than it reaches would hide activities from replay.
        var write = new TurnWrite(Record("c", 1, 3), 0, [Activity(1, "a"), Activity(3, "b"), Activity(2, "c")]);

        await Assert.ThrowsAsync<ArgumentException>(() => Store.Conversations.SaveAsync(write, Ct));

        Assert.Null(await Store.Conversations.GetAsync("c", Ct));
    }

    [Fact]
    public async Task A_turn_log_entry_filed_under_another_key_is_refused()
    {
        var write = new TurnWrite(Record("c", 1, 0), 0, []) { Turn = Turn("other", 1, Start, "hello") };

        await Assert.ThrowsAsync<ArgumentException>(() => Store.Conversations.SaveAsync(write, Ct));

        Assert.Empty(await ReadTurnsAsync(new TurnLogQuery()));
    }

    [Fact]
    public async Task Turns_are_answered_off_the_writer_thread_and_the_WAL_reaches_the_file_while_the_store_is_open()
    {
        // The writer runs no caller's code (its answers go through the thread pool), and copies no WAL into the file:
        // the checkpoint thread does, so the file grows while the store is open although the writer never checkpoints.
        var path = Path.Combine(_folder, "checkpoint.db");
        await using var store = new SqliteConversationStore(path, fullSync: false);
        var text = string.Concat(Enumerable.Repeat("会話のテキスト 🙂 ", 40));
        await Parallel.ForAsync(0, 64, Ct, async (c, ct) =>
        {
            for (var turn = 1; turn <= 10; turn++)
            {
                await store.SaveAsync(new TurnWrite(Record("c" + c, turn, turn), turn - 1, [Activity(turn, text)]), ct);
                Assert.NotEqual("ScenarioKit SQLite writer", Thread.CurrentThread.Name);
            }
        });

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (new FileInfo(path).Length < 640 * text.Length && DateTime.UtcNow < deadline) await Task.Delay(50, Ct);
        Assert.True(new FileInfo(path).Length >= 640 * text.Length, $"the file has {new FileInfo(path).Length} bytes");
        Assert.Equal(10, (await store.ReadActivitiesAsync("c63", 0, 100, Ct)).Count);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_folder, recursive: true); }
        catch (IOException) { }
    }
}
