using ScenarioKit.Insight.Outcomes;
using static ScenarioKit.Insight.Tests.MemoryTurnLog;

namespace ScenarioKit.Insight.Tests;

public sealed class OutcomeTests
{
    static InsightOptions At(TimeSpan now, TimeSpan? timeout = null) => new() { Now = Start + now, SessionTimeout = timeout ?? InsightOptions.DefaultSessionTimeout, MinimumSample = 1 };

    static async Task<ScenarioReport> ReportAsync(MemoryTurnLog log, InsightOptions options) =>
        (await log.Builder().BuildAsync(new ReportFilter(), options, CancellationToken.None)).Scenarios.Single();

    [Fact]
    public async Task A_session_timeout_change_recomputes_history_from_the_same_turns()
    {
        // The answer comes 40 minutes after the question: abandoned with a 30-minute session, contained with 60.
        var log = new MemoryTurnLog().Add("a", TimeSpan.Zero, Ask("order")).Add("a", TimeSpan.FromMinutes(40), Answer("order"));
        var strict = await ReportAsync(log, At(TimeSpan.FromHours(5)));
        var lenient = await ReportAsync(log, At(TimeSpan.FromHours(5), TimeSpan.FromMinutes(60)));
        Assert.Equal((0, 1), (strict.Intents.Single().Contained, strict.Intents.Single().Abandoned));
        Assert.Equal(1, strict.Steps.Single(s => s.Step == "order/0").AbandonedHere);
        Assert.Equal((1, 0), (lenient.Intents.Single().Contained, lenient.Intents.Single().Abandoned));
    }

    [Fact]
    public async Task Coming_back_with_the_same_intent_in_the_session_is_one_episode_and_a_handoff_intent_is_its_own()
    {
        var log = new MemoryTurnLog()
            .Add("a", TimeSpan.Zero, Quick("returns"))
            .Add("a", TimeSpan.FromMinutes(2), Quick("returns"))
            .Add("a", TimeSpan.FromMinutes(3), new() { Input = "message", Text = "agent", Intent = "human", HandoffRule = "asked", HandoffQueue = "support", HandoffWithinHours = true })
            .Add("b", TimeSpan.Zero, Quick("returns"))
            .Add("b", TimeSpan.FromHours(2), Quick("returns"));
        var report = await ReportAsync(log, At(TimeSpan.FromHours(5)));
        var returns = report.Intents.Single(i => i.Intent == "returns");
        // a: one returns episode (asked twice), then the handoff intent's own episode escalates; b: two sessions, two episodes.
        Assert.Equal((3, 3, 0), (returns.Volume, returns.Contained, returns.Escalated));
        Assert.Equal((1, 1), (report.Intents.Single(i => i.Intent == "human").Volume, report.Intents.Single(i => i.Intent == "human").Escalated));
        Assert.Equal(new OutcomeCounts(1, 1, 0, 0, 0), report.Conversations);
    }

    [Fact]
    public async Task A_live_session_is_ongoing_not_abandoned_and_a_conversation_without_intent_is_unengaged()
    {
        var log = new MemoryTurnLog()
            .Add("live", TimeSpan.Zero, Ask("order"))
            .Add("quiet", TimeSpan.Zero, new() { Input = "message", Text = "???", Fallback = true });
        var report = await ReportAsync(log, At(TimeSpan.FromMinutes(10)));
        Assert.Equal(new OutcomeCounts(0, 0, 0, 1, 1), report.Conversations);
        Assert.Equal(1, report.Intents.Single().Ongoing);
        Assert.Equal(Verdict.TooFewToJudge, report.Intents.Single().Verdict);
    }

    [Fact]
    public async Task A_digression_ends_on_its_own_and_the_interrupted_ask_goes_on()
    {
        var log = new MemoryTurnLog()
            .Add("a", TimeSpan.Zero, Ask("order"))
            // "What are the fees?" while the order number is asked for: the fees flow runs and the ask is asked again.
            .Add("a", TimeSpan.FromMinutes(1), new() { Input = "message", Text = "fees?", Intent = "fees", FlowsStarted = ["fees"], Steps = ["fees/0", "order/0"], Flow = "order", WaitingStep = "order/0" })
            .Add("a", TimeSpan.FromMinutes(2), Answer("order"));
        var report = await ReportAsync(log, At(TimeSpan.FromHours(5)));
        Assert.Equal(1, report.Intents.Single(i => i.Intent == "fees").Contained);
        Assert.Equal(1, report.Intents.Single(i => i.Intent == "order").Contained);
        Assert.Equal(0, report.Steps.Single(s => s.Step == "order/0").AskRetries);
    }

    [Fact]
    public void Wilson_interval_matches_the_textbook_values()
    {
        var (low, high) = Wilson.Interval(85, 100);
        Assert.Equal(0.7672, low, 4);
        Assert.Equal(0.9069, high, 4);
        Assert.Equal((0d, 1d), Wilson.Interval(0, 0));
    }

    [Fact]
    public async Task Versions_compare_metric_by_metric_with_deltas()
    {
        var log = new MemoryTurnLog()
            .Add("a", TimeSpan.Zero, Ask("order"), "1.0.0")
            .Add("b", TimeSpan.Zero, Quick("order"), "1.1.0");
        var report = await log.Builder().CompareAsync(new ReportFilter(), "1.0.0", "1.1.0", At(TimeSpan.FromHours(5)), CancellationToken.None);
        var row = report.Comparison.Single(r => r.Metric == "intent order: contained %");
        Assert.Equal((0d, 1d, 1d), (row.From!.Value, row.To!.Value, row.Delta!.Value));
        Assert.Equal(["1.1.0"], report.Scenarios.Single().Versions);
    }
}
