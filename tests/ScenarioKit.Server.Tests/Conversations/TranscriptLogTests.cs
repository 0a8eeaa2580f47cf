using System.Text.Json;
using ScenarioKit.Server.Hosting;
using ScenarioKit.Server.Tests.Infrastructure;
using ScenarioKit.Storage;

namespace ScenarioKit.Server.Tests.Conversations;

/// <summary>
/// Issue 14: a handoff's transcript comes from the activities this node logged when it holds them all, and from the
/// store otherwise; both give the same transcript, and neither gives back what the retention expired.
/// </summary>
public sealed class TranscriptLogTests
{
    static async Task<JsonElement[]> TurnAsync(TestServer server, string conversation, int turn, string? text = null)
    {
        var body = await server.PostJsonForJsonAsync("/api/messages", Reference.UserActivity(conversation, turn, text: text));
        return [.. body.GetProperty("activities").EnumerateArray()];
    }

    static List<JsonElement> TranscriptOf(JsonElement[] handoffTurn) =>
        [.. Assert.Single(handoffTurn[0].GetProperty("attachments").EnumerateArray()).GetProperty("content").GetProperty("activities").EnumerateArray()];

    static IEnumerable<string?> Texts(IEnumerable<JsonElement> activities) => activities.Select(a => a.GetProperty("text").GetString());

    [Fact]
    public async Task A_handoff_after_a_restart_reads_the_transcript_from_the_store_and_it_equals_the_one_held_in_memory()
    {
        var directory = TempDirectory.Create();
        const string japanese = "注文番号は「まだ」です";
        var earlier = new List<JsonElement>();
        List<JsonElement> held;
        await using (var first = await TestServer.StartAsync(directory: directory))
        {
            for (var turn = 0; turn < 4; turn++)
            {
                earlier.AddRange(await TurnAsync(first, "restarted", turn, text: turn == 2 ? japanese : null));
                await TurnAsync(first, "held", turn, text: turn == 2 ? japanese : null);
            }
            held = TranscriptOf(await TurnAsync(first, "held", 4));
        }

        // A new process holds nothing of the conversation: the transcript is read back from the SQLite file.
        await using var second = await TestServer.StartAsync(directory: directory);
        var read = TranscriptOf(await TurnAsync(second, "restarted", 4));
        Assert.Equal(10, read.Count);
        Assert.Equal(Texts(held), Texts(read));
        var raw = read.Select(a => a.GetRawText()).ToHashSet(StringComparer.Ordinal);
        Assert.All(earlier, reply => Assert.Contains(reply.GetRawText(), raw));
        Assert.Contains(japanese, Texts(read));
    }

    [Fact]
    public async Task A_conversation_idle_past_the_activity_retention_does_not_get_its_expired_activities_back_from_memory()
    {
        var directory = TempDirectory.Create();
        await using var server = await TestServer.StartAsync(bots: [], configure: o =>
        {
            o.Sources.Add(Repo.ReferenceScenario);
            // The handoff.initiate event goes to the channel (the hub would answer with nobody online).
            o.Handoff.Mode = HandoffMode.Channel;
            o.Retention.ActivityJson = TimeSpan.FromMilliseconds(300);
            o.Retention.Interval = TimeSpan.FromMilliseconds(200);
        }, directory: directory);
        for (var turn = 0; turn < 4; turn++) await TurnAsync(server, "idle", turn);
        await using (var reader = new SqliteConversationStore(Path.Combine(directory, "scenariokit.db")))
        {
            var key = (await reader.ListActiveAsync(DateTimeOffset.MinValue, false, 10, CancellationToken.None)).Single().Key;
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while ((await reader.ReadActivitiesAsync(key, 0, 100, CancellationToken.None)).Count > 0)
            {
                Assert.True(DateTime.UtcNow < deadline, "the background expiry did not delete the activities within 20 s");
                await Task.Delay(100);
            }
        }

        // The store holds none of the earlier activities any more, so the transcript has only this turn's message,
        // as it would on a node that never held them.
        var transcript = TranscriptOf(await TurnAsync(server, "idle", 4));
        Assert.Equal([Reference.UserTurns[4]], Texts(transcript));
    }
}
