using System.Text;
using ScenarioKit.Server.Tests.Infrastructure;
using ScenarioKit.Storage;

namespace ScenarioKit.Server.Tests.Storage;

/// <summary>Issue 14, "Storage that does not explode": retention settings, the background expiry, expiry beside turns.</summary>
public sealed class RetentionTests
{
    static readonly DateTimeOffset T0 = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task The_server_expires_the_activity_json_of_idle_conversations_in_the_background_and_keeps_the_turn_log()
    {
        var directory = TempDirectory.Create();
        await using (var server = await TestServer.StartAsync(bots: [], configure: o =>
        {
            o.Sources.Add(Repo.ReferenceScenario);
            o.Retention.ActivityJson = TimeSpan.FromMilliseconds(300);
            o.Retention.Interval = TimeSpan.FromMilliseconds(200);
        }, directory: directory))
        {
            await server.PostJsonForJsonAsync("/api/messages", Reference.UserActivity("idle", 0));
            await server.PostJsonForJsonAsync("/api/messages", Reference.UserActivity("idle", 1));
            await using var reader = new SqliteConversationStore(Path.Combine(directory, "scenariokit.db"));
            var key = (await reader.ListActiveAsync(DateTimeOffset.MinValue, false, 10, CancellationToken.None)).Single().Key;

            var deadline = DateTime.UtcNow.AddSeconds(20);
            while ((await reader.ReadActivitiesAsync(key, 0, 100, CancellationToken.None)).Count > 0)
            {
                Assert.True(DateTime.UtcNow < deadline, "the background expiry did not delete the activities within 20 s");
                await Task.Delay(100);
            }
            Assert.NotNull(await reader.GetAsync(key, CancellationToken.None));
            Assert.Equal(2, await CountTurnsAsync(reader));

            // The conversation goes on: its state was kept, only the replayable JSON went.
            var retry = await server.PostJsonForJsonAsync("/api/messages", Reference.UserActivity("idle", 2));
            Assert.Equal("That doesn't look like an 8-digit order number. Please try again (retry 1 of 2).", retry.GetProperty("activities")[0].GetProperty("text").GetString());
        }
    }

    [Fact]
    public async Task Expiry_walks_many_conversations_in_steps_and_a_second_pass_still_finds_an_older_write()
    {
        var directory = TempDirectory.Create();
        await using var store = new SqliteConversationStore(Path.Combine(directory, "retention.db"), fullSync: false);
        for (var i = 0; i < 150; i++) await SaveTurnAsync(store, $"c{i:D3}", version: 1, at: T0.AddSeconds(i));

        var first = await store.ExpireAsync(T0.AddHours(1), DateTimeOffset.MinValue, CancellationToken.None);
        Assert.Equal(new RetentionResult(0, 300, 0), first);

        // A write dated before the first pass's cutoff (a clock behind the others) is still found by the next pass.
        await SaveTurnAsync(store, "late", version: 1, at: T0.AddMinutes(-5));
        var second = await store.ExpireAsync(T0.AddHours(1), DateTimeOffset.MinValue, CancellationToken.None);
        Assert.Equal(new RetentionResult(0, 2, 0), second);
        Assert.Equal(151, await CountTurnsAsync(store));
    }

    [Fact]
    public async Task Turns_saved_while_expiry_runs_all_commit_and_keep_their_activities()
    {
        var directory = TempDirectory.Create();
        await using var store = new SqliteConversationStore(Path.Combine(directory, "retention.db"), fullSync: false);
        for (var i = 0; i < 400; i++) await SaveTurnAsync(store, $"old{i:D3}", version: 1, at: T0);

        var expiry = store.ExpireAsync(T0.AddHours(1), DateTimeOffset.MinValue, CancellationToken.None);
        var fresh = Enumerable.Range(0, 200).Select(i => SaveTurnAsync(store, $"new{i:D3}", version: 1, at: T0.AddHours(2))).ToArray();
        await Task.WhenAll(fresh);
        var result = await expiry;

        Assert.Equal(800, result.Activities);
        foreach (var i in new[] { 0, 99, 199 })
            Assert.Equal(2, (await store.ReadActivitiesAsync($"new{i:D3}", 0, 10, CancellationToken.None)).Count);
    }

    static Task SaveTurnAsync(SqliteConversationStore store, string key, long version, DateTimeOffset at)
    {
        var record = new ConversationRecord(key, key, "test", "s", "1", "u", Encoding.UTF8.GetBytes("{}"), version, 2, true, false, at, at);
        StoredActivity Activity(long seq) => new(seq, "message", Encoding.UTF8.GetBytes($$"""{"type":"message","text":"{{seq}}"}"""));
        return store.SaveAsync(new TurnWrite(record, version - 1, [Activity(1), Activity(2)])
        {
            Turn = new TurnLogEntry(key, version, at, "s", "1", new TurnSummary { Input = "message", Text = "hi" }.ToUtf8Json()),
        }, CancellationToken.None);
    }

    static async Task<int> CountTurnsAsync(SqliteConversationStore store)
    {
        var n = 0;
        await foreach (var _ in store.ReadTurnsAsync(new TurnLogQuery(), CancellationToken.None)) n++;
        return n;
    }
}
