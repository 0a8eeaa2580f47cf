using System.Text;

namespace ScenarioKit.Storage.Tests;

/// <summary>
/// The SQLite store's filter of conversation keys: a lookup of a conversation the file cannot hold reads nothing, and
/// no conversation the file holds is ever reported missing to this process.
/// </summary>
public sealed class SqliteKeyFilterTests : IAsyncDisposable
{
    static readonly DateTimeOffset Start = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
    readonly string _folder = Path.Combine(Path.GetTempPath(), "sk-keys-" + Guid.NewGuid().ToString("N"));

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    string Db => Path.Combine(_folder, "scenariokit.db");

    [Fact]
    public void The_filter_finds_every_key_added_and_few_others()
    {
        const int Keys = 200_000;
        var filter = new KeyFilter(Keys);
        for (var i = 0; i < Keys; i++) filter.Add(Key(i));

        for (var i = 0; i < Keys; i++) Assert.True(filter.MayContain(Key(i)), Key(i));
        var falsePositives = Enumerable.Range(Keys, Keys).Count(i => filter.MayContain(Key(i)));
        Assert.InRange(falsePositives / (double)Keys, 0, 0.02);
        Assert.Equal(Keys, filter.Added);
    }

    [Fact]
    public void Keys_that_differ_in_one_character_or_only_in_surrogates_are_told_apart()
    {
        var filter = new KeyFilter(1024);
        filter.Add("directline/会話-1");
        filter.Add("bench/\uD83D\uDE00");
        Assert.True(filter.MayContain("directline/会話-1"));
        Assert.True(filter.MayContain("bench/\uD83D\uDE00"));
        var others = new[] { "directline/会話-2", "directline/会話-1 ", "bench/\uD83D\uDE01", "bench/\uD800", "" };
        Assert.True(others.Count(filter.MayContain) <= 1, "two keys this far apart should almost never share all their bits");
    }

    [Fact]
    public async Task A_new_conversation_is_looked_up_without_reading_the_file()
    {
        await using var store = new SqliteConversationStore(Db);
        await store.KeysReady.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        var reads = store.FileReads;

        Assert.Null(await store.GetAsync("directline/新しい会話", Ct));
        Assert.Empty(await store.ReadActivitiesAsync("directline/新しい会話", 0, 10, Ct));
        Assert.Equal(reads, store.FileReads);

        await store.SaveAsync(new TurnWrite(Record("directline/新しい会話", 1), 0, [Activity(1, "こんにちは")]), Ct);
        Assert.Equal(1, (await store.GetAsync("directline/新しい会話", Ct))!.Version);
        Assert.Equal(reads + 1, store.FileReads);
    }

    [Fact]
    public async Task Conversations_already_in_the_file_are_found_after_a_restart()
    {
        var keys = Enumerable.Range(0, 500).Select(i => $"dl/会話-{i}").ToList();
        await using (var first = new SqliteConversationStore(Db))
        {
            foreach (var key in keys) await first.SaveAsync(new TurnWrite(Record(key, 1), 0, [Activity(1, key)]), Ct);
        }

        await using var reopened = new SqliteConversationStore(Db);
        await reopened.KeysReady.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        foreach (var key in keys)
        {
            Assert.NotNull(await reopened.GetAsync(key, Ct));
            Assert.Single(await reopened.ReadActivitiesAsync(key, 0, 10, Ct));
        }
    }

    [Fact]
    public async Task A_full_filter_is_built_again_larger_and_still_holds_every_key()
    {
        // Capacity 64: the 1,000 conversations below fill it many times over; each lookup must find its row all along.
        await using var store = new SqliteConversationStore(Db, fullSync: false, walRestartFrames: 32768, keyCapacity: 64);
        await store.KeysReady.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        var keys = Enumerable.Range(0, 1000).Select(i => $"bench/{i}").ToList();
        await Parallel.ForEachAsync(keys, Ct, async (key, ct) =>
        {
            await store.SaveAsync(new TurnWrite(Record(key, 1), 0, [Activity(1, key)]), ct);
            Assert.NotNull(await store.GetAsync(key, ct));
        });
        foreach (var key in keys) Assert.NotNull(await store.GetAsync(key, Ct));

        // Once a build sized for them is in use, unknown keys are answered without reading again (about 1 % may read).
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var reads = store.FileReads;
            for (var i = 0; i < 200; i++) await store.GetAsync($"unknown/{i}", Ct);
            if (store.FileReads - reads <= 10) break;
            Assert.True(DateTime.UtcNow < deadline, $"{store.FileReads - reads} of 200 unknown keys still read the file after 30 s");
            await Task.Delay(50, Ct);
        }
    }

    [Fact]
    public async Task Two_stores_of_this_process_on_one_file_see_each_others_new_conversations()
    {
        await using var a = new SqliteConversationStore(Db);
        await using var b = new SqliteConversationStore(Db);
        await a.KeysReady.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        await a.SaveAsync(new TurnWrite(Record("dl/a", 1), 0, [Activity(1, "a")]), Ct);
        Assert.NotNull(await b.GetAsync("dl/a", Ct));
    }

    [Fact]
    public async Task A_conversation_another_process_started_is_found_once_a_turn_tries_to_create_it()
    {
        // Another process is a store opened through another path to the same file (a symbolic link to its folder):
        // it shares nothing with this one but the file.
        Directory.CreateDirectory(_folder);
        var link = _folder + "-link";
        Directory.CreateSymbolicLink(link, _folder);
        try
        {
            await using var here = new SqliteConversationStore(Db);
            await here.KeysReady.WaitAsync(TimeSpan.FromSeconds(30), Ct);
            await using (var other = new SqliteConversationStore(Path.Combine(link, "scenariokit.db")))
            {
                await other.SaveAsync(new TurnWrite(Record("dl/elsewhere", 1), 0, [Activity(1, "あちら")]), Ct);
            }

            // Not known here yet: this store answers "no row", as for a conversation started a moment ago on another node.
            Assert.Null(await here.GetAsync("dl/elsewhere", Ct));
            // A turn that takes it for new loses the race like any other, and its retry reads the stored row.
            await Assert.ThrowsAsync<ConcurrencyConflictException>(() =>
                here.SaveAsync(new TurnWrite(Record("dl/elsewhere", 1), 0, [Activity(1, "こちら")]), Ct));
            var stored = await here.GetAsync("dl/elsewhere", Ct);
            Assert.Equal(1, stored!.Version);
            Assert.Equal("あちら", Text(Assert.Single(await here.ReadActivitiesAsync("dl/elsewhere", 0, 10, Ct))));
        }
        finally
        {
            Directory.Delete(link);
        }
    }

    static string Key(int i) => i % 2 == 0 ? $"directline/会話-{i}" : $"msteams/19:{i:x8}@thread.v2";

    static ConversationRecord Record(string key, long version) =>
        new(key, "conv-" + key, "directline", "retail", "1.0.0", "user-1", "{}"u8.ToArray(), version, version, true, false, Start, Start.AddMinutes(version));

    static StoredActivity Activity(long seq, string text) =>
        new(seq, "message", Encoding.UTF8.GetBytes($$"""{"type":"message","text":"{{text}}"}"""));

    static string Text(StoredActivity activity) =>
        System.Text.Json.JsonDocument.Parse(activity.Json).RootElement.GetProperty("text").GetString()!;

    public ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_folder, recursive: true); }
        catch (IOException) { }
        return ValueTask.CompletedTask;
    }
}
