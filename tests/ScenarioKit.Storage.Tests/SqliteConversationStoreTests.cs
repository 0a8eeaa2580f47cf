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
    public async Task A_conversation_started_again_under_its_key_after_its_row_expired_gets_its_number_back()
    {
        // The row went (idle for 40 days) but the turn log keeps the key's number: the new conversation is inserted under
        // that number, found by the key, not under a new one (the writer's insert without RETURNING takes both paths).
        await Store.Conversations.SaveAsync(new TurnWrite(Record("again", 1, 1, "最初", Start.AddDays(-40)), 0, [Activity(1, "a")]) { Turn = Turn("again", 1, Start, "a") }, Ct);
        Assert.Equal(new RetentionResult(1, 1, 0), await Store.Retention.ExpireAsync(Start.AddDays(-1), Start.AddDays(-30), Ct));
        Assert.Null(await Store.Conversations.GetAsync("again", Ct));

        // A turn of the conversation that went is a conflict, not a row written under a stale number.
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => Store.Conversations.SaveAsync(new TurnWrite(Record("again", 2, 2), 1, [Activity(2, "lost")]), Ct));
        await Store.Conversations.SaveAsync(new TurnWrite(Record("again", 1, 1, "二回目"), 0, [Activity(1, "b")]) { Turn = Turn("again", 2, Start.AddMinutes(1), "b") }, Ct);
        await Store.Conversations.SaveAsync(new TurnWrite(Record("again", 2, 2, "三回目"), 1, [Activity(2, "c")]), Ct);

        var read = (await Store.Conversations.GetAsync("again", Ct))!;
        Assert.Equal((2L, "三回目"), (read.Version, System.Text.Encoding.UTF8.GetString(read.State.Span)));
        Assert.Equal([1L, 2L], (await Store.Conversations.ReadActivitiesAsync("again", 0, 10, Ct)).Select(a => a.Seq));
        Assert.Equal([1L, 2L], (await ReadTurnsAsync(new TurnLogQuery())).Select(t => t.Turn));
    }

    [Fact]
    public async Task Turns_are_answered_off_the_writer_thread_and_the_WAL_reaches_the_file_while_the_store_is_open()
    {
        // The writer runs no caller's code (its answers go through the thread pool), and copies no WAL into the file:
        // the checkpoint thread does, so the file grows while the store is open although the writer never checkpoints.
        var path = Path.Combine(_folder, "checkpoint.db");
        await using var store = new SqliteConversationStore(path, fullSync: false);
        await Parallel.ForAsync(0, 64, Ct, async (c, ct) =>
        {
            for (var turn = 1; turn <= 20; turn++)
            {
                await store.SaveAsync(new TurnWrite(Record("c" + c, turn, turn), turn - 1, [Activity(turn, RandomText(new Random(c * 100 + turn), 400))]), ct);
                Assert.NotEqual("ScenarioKit SQLite writer", Thread.CurrentThread.Name);
            }
        });

        // 1,280 activities of random characters (≈ 200 on average, ≥ 100 bytes each) are in the file, not only in the WAL.
        const long Copied = 1280 * 100;
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (new FileInfo(path).Length < Copied && DateTime.UtcNow < deadline) await Task.Delay(50, Ct);
        Assert.True(new FileInfo(path).Length >= Copied, $"the file has {new FileInfo(path).Length} bytes");
        Assert.Equal(20, (await store.ReadActivitiesAsync("c63", 0, 100, Ct)).Count);
    }

    [Fact]
    public async Task The_WAL_starts_again_under_writes_that_never_pause_and_every_turn_survives_it()
    {
        // Under sustained load the checkpoint thread is always a few commits behind, so the WAL restarts only when the
        // writer checkpoints itself at the restart length. 64 writers that never pause write ≈ 14 times the restart
        // length (512 frames, 2 MiB here); without the restart the WAL would hold all of it.
        var path = Path.Combine(_folder, "restart.db");
        const int Writers = 64, Turns = 150, RestartFrames = 512;
        await using (var store = new SqliteConversationStore(path, fullSync: true, walRestartFrames: RestartFrames))
        {
            await Parallel.ForAsync(0, Writers, new ParallelOptions { MaxDegreeOfParallelism = Writers, CancellationToken = Ct }, async (c, ct) =>
            {
                for (var turn = 1; turn <= Turns; turn++)
                {
                    var text = "会話 " + c + " 番 " + turn + " " + RandomText(new Random(c * 1000 + turn), 1000);
                    await store.SaveAsync(new TurnWrite(Record("w" + c, turn, turn, state: text), turn - 1, [Activity(turn, text)]), ct);
                }
            });

            // Rows of ≈ 2 × 1.5 KB per turn went through the WAL (≈ 29 MB); it restarts past 512 frames and is cut back
            // past twice that, so it holds a few MB (frames of a 4 KiB page and a 24-byte header).
            var wal = new FileInfo(path + "-wal").Length;
            Assert.True(wal <= 4L * RestartFrames * (4096 + 24), $"the WAL has {wal} bytes");
            Assert.Equal(Turns, (await store.ReadActivitiesAsync("w17", 0, 1000, Ct)).Count);
        }

        // Reopened: every conversation has its last state and every activity, whatever the WAL held at the close.
        await using var reopened = new SqliteConversationStore(path, fullSync: false);
        for (var c = 0; c < Writers; c++)
        {
            var record = await reopened.GetAsync("w" + c, Ct);
            Assert.Equal(Turns, record!.Version);
            Assert.StartsWith("会話 " + c + " 番 " + Turns + " ", System.Text.Encoding.UTF8.GetString(record.State.Span));
            Assert.Equal(Enumerable.Range(1, Turns).Select(t => (long)t), (await reopened.ReadActivitiesAsync("w" + c, 0, 1000, Ct)).Select(a => a.Seq));
        }
    }

    [Fact]
    public async Task Replay_returns_every_stored_activity_byte_for_byte_from_every_watermark()
    {
        // A turn's activities are stored packed in one row: generated JSON of every size (empty, a few bytes, 100 KB),
        // Japanese, emoji, escapes and random bytes, in turns of zero to four activities, must come back exactly.
        var random = new Random(14);
        var all = new List<StoredActivity>();
        for (var turn = 1; turn <= 40; turn++)
        {
            var activities = new List<StoredActivity>();
            for (var n = random.Next(0, 5); n > 0; n--) activities.Add(new StoredActivity(all.Count + activities.Count + 1, RandomText(random, 8), RandomJson(random)));
            all.AddRange(activities);
            await Store.Conversations.SaveAsync(new TurnWrite(Record("property/会話", turn, all.Count), turn - 1, activities), Ct);
        }

        for (var after = 0; after <= all.Count; after++)
        {
            var limit = random.Next(1, 12);
            var read = await Store.Conversations.ReadActivitiesAsync("property/会話", after, limit, Ct);
            var expected = all.Skip(after).Take(limit).ToList();
            Assert.Equal(expected.Select(a => (a.Seq, a.Type)), read.Select(a => (a.Seq, a.Type)));
            for (var i = 0; i < expected.Count; i++) Assert.True(expected[i].Json.Span.SequenceEqual(read[i].Json.Span), $"activity {expected[i].Seq} differs");
        }
    }

    static byte[] RandomJson(Random random)
    {
        switch (random.Next(5))
        {
            case 0: return [];
            case 1:
                var noise = new byte[random.Next(1, 100_000)];
                random.NextBytes(noise);
                return noise;
            default:
                var text = RandomText(random, random.Next(0, 3) == 0 ? 20_000 : 200);
                return System.Text.Encoding.UTF8.GetBytes($$"""{"type":"message","from":{"id":"ユーザー"},"text":"{{text}}","locale":"ja-JP"}""");
        }
    }

    /// <summary>Up to <paramref name="length"/> pieces drawn from ASCII, escapes, kana, kanji and emoji (surrogate pairs, a modifier).</summary>
    static string RandomText(Random random, int length)
    {
        string[] pieces = ["a", "Z", " ", "\\n", "あ", "ン", "会", "話", "🙂", "👋🏽", "é", "\\\""];
        var text = new System.Text.StringBuilder();
        for (var i = random.Next(length + 1); i > 0; i--) text.Append(pieces[random.Next(pieces.Length)]);
        return text.ToString();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_folder, recursive: true); }
        catch (IOException) { }
    }
}
