using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ScenarioKit.Server.Bots;
using ScenarioKit.Server.Conversations;
using ScenarioKit.Server.Hosting;
using ScenarioKit.Server.Tests.Infrastructure;
using ScenarioKit.Storage;

namespace ScenarioKit.Server.Tests.Conversations;

/// <summary>
/// Issue 14 (docs/performance.md, "Session 9"): a turn starts from the engine's state kept in memory by the turn before
/// instead of parsing the stored bytes again, and must not be able to tell the difference.
/// </summary>
public sealed class LiveStatesTests
{
    [Fact]
    public async Task Engine_turns_from_the_live_state_give_the_bytes_and_outputs_of_turns_from_the_stored_state()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 4, 9, 0, 0, TimeSpan.Zero));
        await using var server = await TestServer.StartAsync(bots: [], configure: o =>
        {
            o.Sources.Add(Repo.ReferenceScenario);
            o.Handoff.Mode = HandoffMode.Channel;
        }, services: s => s.AddSingleton<TimeProvider>(time));
        var bot = server.Service<ScenarioCatalog>().Resolve(null, null)!;

        var stored = bot.Start("live-conv", "live-user");
        var live = stored;
        object? liveForm = null;
        for (var turn = 0; turn < Reference.UserTurns.Length; turn++)
        {
            var input = new BotMessageInput(Reference.UserTurns[turn], $"live-{turn}", null);
            var fromBytes = await bot.RunTurnAsync(stored, null, input, CancellationToken.None);
            var fromLive = await bot.RunTurnAsync(live, liveForm, input, CancellationToken.None);

            Assert.NotNull(fromLive.Live);
            Assert.Equal(Encoding.UTF8.GetString(fromBytes.State), Encoding.UTF8.GetString(fromLive.State));
            Assert.Equal(Describe(fromBytes), Describe(fromLive));
            (stored, live, liveForm) = (fromBytes.State, fromLive.State, fromLive.Live);
            time.Advance(TimeSpan.FromMinutes(1));
        }
    }

    [Fact]
    public void An_entry_answers_only_for_the_record_it_was_saved_with()
    {
        var live = new LiveStates(slots: 8);
        var saved = Row("k", version: 2);
        var form = new object();
        live.Set(saved, form);
        Assert.Same(form, live.Get(saved));

        // The same row read back from the store (an equal record, not the same one) and an older row of the key: no form.
        Assert.Null(live.Get(saved with { }));
        Assert.Null(live.Get(Row("k", version: 1)));

        // One slot per hash: with more keys than slots the newest takes the slot, and the others miss.
        var rows = Enumerable.Range(0, 64).Select(i => Row($"c{i}", version: 1)).ToList();
        foreach (var row in rows) live.Set(row, row.Key);
        Assert.Equal("c63", live.Get(rows[^1]));
        Assert.InRange(rows.Count(r => live.Get(r) is not null), 1, 8);
        Assert.All(rows, r => Assert.True(live.Get(r) is null || (string)live.Get(r)! == r.Key));
    }

    static string Describe(BotTurnResult result)
    {
        var text = new StringBuilder();
        foreach (var output in result.Outputs)
        {
            text.AppendLine(output switch
            {
                BotTextOutput t => $"text {t.Text} [{string.Join("|", t.Suggestions)}] {t.ExpectingInput}",
                BotHandoffOutput h => $"handoff.initiate {h.Queue} {h.Value.GetRawText()}",
                BotTicketOutput t => $"ticket {t.Value.GetRawText()}",
                BotUnattendedHandoffOutput u => $"unattended {u.Value.GetRawText()}",
                _ => output.GetType().Name,
            });
        }
        text.AppendLine(Encoding.UTF8.GetString(result.Info.Summary!.ToUtf8Json()));
        text.AppendLine($"{result.Info.Intent} {result.Info.Fallback} {result.Info.Duplicate} {result.Info.WithAgent}");
        return text.ToString();
    }

    static ConversationRecord Row(string key, long version) => new(
        key, key, "test", "scenario", "1.0.0", "user", new byte[] { 1 }, version, version, true, false,
        DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);
}
