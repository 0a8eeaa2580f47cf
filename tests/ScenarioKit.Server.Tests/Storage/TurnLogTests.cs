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
}
