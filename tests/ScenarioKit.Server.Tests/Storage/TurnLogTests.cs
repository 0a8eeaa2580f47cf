using ScenarioKit.Server.Tests.Infrastructure;
using ScenarioKit.Storage;

namespace ScenarioKit.Server.Tests.Storage;

public sealed class TurnLogTests
{
    [Fact]
    public async Task Every_turn_is_logged_compactly_with_what_the_engine_made_of_it()
    {
        var directory = TempDirectory.Create();
        await using (var server = await TestServer.StartAsync(bots: [], configure: o => o.Sources.Add(Repo.ReferenceScenario), directory: directory))
        {
            await server.PostJsonForJsonAsync("/api/messages", Reference.UserActivity("t", 0));
            await server.PostJsonForJsonAsync("/api/messages", Reference.UserActivity("t", 1));
            await server.PostJsonForJsonAsync("/api/messages", Reference.UserActivity("t", 2));
        }

        await using var store = new SqliteConversationStore(Path.Combine(directory, "scenariokit.db"));
        var turns = new List<TurnLogEntry>();
        await foreach (var t in store.ReadTurnsAsync(new TurnLogQuery(ScenarioId: "reference-support"), CancellationToken.None)) turns.Add(t);

        Assert.True(turns.Count >= 3, $"{turns.Count} turns logged");
        Assert.Equal(turns.Select(t => t.Turn).Order(), turns.Select(t => t.Turn));
        var summaries = turns.Select(t => TurnSummary.FromUtf8Json(t.Json.Span)).Where(s => s.Input == "message").ToList();
        Assert.Equal(3, summaries.Count);
        var orderStatus = summaries[1];
        Assert.Equal("order_status", orderStatus.Intent);
        Assert.Equal("order_status", Assert.Single(orderStatus.FlowsStarted!));
        Assert.NotNull(orderStatus.WaitingStep);
        Assert.NotEmpty(orderStatus.Replies!);
        Assert.All(turns, t => Assert.True(t.Json.Length < 1024, $"turn {t.Turn} is {t.Json.Length} bytes"));
    }

    [Fact]
    public async Task Expiry_drops_old_activity_json_first_and_old_turns_with_their_conversations_later()
    {
        var directory = TempDirectory.Create();
        await using (var server = await TestServer.StartAsync(bots: [], configure: o => o.Sources.Add(Repo.ReferenceScenario), directory: directory))
        {
            await server.PostJsonForJsonAsync("/api/messages", Reference.UserActivity("old", 0));
            await server.PostJsonForJsonAsync("/api/messages", Reference.UserActivity("old", 1));
        }
        await using var store = new SqliteConversationStore(Path.Combine(directory, "scenariokit.db"));
        var key = (await store.ListActiveAsync(DateTimeOffset.MinValue, false, 10, CancellationToken.None)).Single().Key;
        var now = DateTimeOffset.UtcNow;

        // Nothing is old enough yet.
        Assert.Equal(new RetentionResult(0, 0, 0), await store.ExpireAsync(now.AddHours(-24), now.AddDays(-90), CancellationToken.None));

        // The activity window has passed: the full JSON goes, the conversation and its turn log stay.
        var first = await store.ExpireAsync(now.AddMinutes(1), now.AddDays(-90), CancellationToken.None);
        Assert.True(first.Activities >= 4 && first.Turns == 0 && first.Conversations == 0, first.ToString());
        Assert.Empty(await store.ReadActivitiesAsync(key, 0, 100, CancellationToken.None));
        Assert.NotNull(await store.GetAsync(key, CancellationToken.None));
        Assert.True(await CountTurnsAsync(store) >= 2);

        // The retention period has passed: turns and the conversation go.
        var second = await store.ExpireAsync(now.AddMinutes(1), now.AddMinutes(1), CancellationToken.None);
        Assert.Equal(1, second.Conversations);
        Assert.True(second.Turns >= 2);
        Assert.Null(await store.GetAsync(key, CancellationToken.None));
        Assert.Equal(0, await CountTurnsAsync(store));
    }

    static async Task<int> CountTurnsAsync(SqliteConversationStore store)
    {
        var n = 0;
        await foreach (var _ in store.ReadTurnsAsync(new TurnLogQuery(), CancellationToken.None)) n++;
        return n;
    }
}
