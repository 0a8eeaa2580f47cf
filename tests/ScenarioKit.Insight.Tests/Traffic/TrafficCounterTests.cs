using ScenarioKit.Insight.Traffic;
using ScenarioKit.Storage;

namespace ScenarioKit.Insight.Tests.Traffic;

public sealed class TrafficCounterTests
{
    static readonly DateTimeOffset T0 = new(2026, 11, 24, 1, 0, 0, TimeSpan.Zero);

    /// <summary>Turns of a known mix of conversations, as the server writes them (one conversation's turns together, oldest first).</summary>
    internal static IReadOnlyList<TurnLogEntry> KnownTurns()
    {
        var turns = new List<TurnLogEntry>();
        void Add(string key, int minute, TurnSummary summary) =>
            turns.Add(new TurnLogEntry(key, turns.Count(t => t.Key == key) + 1, T0.AddMinutes(minute), "shop", "1.0.0", summary.ToUtf8Json()));

        // a: order status answered at the first try, then the cart stage.
        Add("a", 0, new TurnSummary { Input = "message", Intent = "order_status", Stage = "browsing", FlowsStarted = ["order_status"], Steps = ["order_status/0"], Flow = "order_status", WaitingStep = "order_status/0" });
        Add("a", 1, new TurnSummary { Input = "message", Stage = "browsing", Steps = ["order_status/1", "order_status/2"] });
        Add("a", 2, new TurnSummary { Input = "event", Name = "cart_updated", Stage = "cart", Proactive = ["cart-idle"] });
        // b: one retry, then goes quiet waiting at the ask (a drop-off).
        Add("b", 0, new TurnSummary { Input = "message", Intent = "order_status", Stage = "browsing", FlowsStarted = ["order_status"], Steps = ["order_status/0"], WaitingStep = "order_status/0" });
        Add("b", 1, new TurnSummary { Input = "message", Stage = "browsing", Steps = ["order_status/0"], WaitingStep = "order_status/0" });
        // c: asks for a human while waiting: escalated, not dropped off.
        Add("c", 0, new TurnSummary { Input = "message", Intent = "order_status", Stage = "browsing", FlowsStarted = ["order_status"], Steps = ["order_status/0"], WaitingStep = "order_status/0" });
        Add("c", 1, new TurnSummary { Input = "message", Intent = "human", Stage = "browsing", HandoffRule = "asked-for-human", HandoffQueue = "support", WaitingStep = "order_status/0" });
        Add("c", 2, new TurnSummary { Input = "handoff", Name = "accepted" });
        // d: still typing (last turn 10 minutes before the count): not a drop-off yet.
        Add("d", 50, new TurnSummary { Input = "message", Intent = "order_status", Stage = "cart", FlowsStarted = ["order_status"], Steps = ["order_status/0"], WaitingStep = "order_status/0" });
        // e: cart, back to browsing, cart again.
        Add("e", 0, new TurnSummary { Input = "event", Stage = "cart" });
        Add("e", 1, new TurnSummary { Input = "event", Stage = "browsing" });
        Add("e", 2, new TurnSummary { Input = "event", Stage = "cart" });
        return turns;
    }

    [Fact]
    public async Task Counts_equal_the_known_turns()
    {
        var traffic = await TrafficCounter.CountAsync(new ListTurnLog(KnownTurns()), new TurnLogQuery(), T0.AddHours(1), TimeSpan.FromMinutes(30), TestContext.Current.CancellationToken);

        Assert.Equal(5, traffic.Conversations);
        Assert.Equal(12, traffic.Turns);
        Assert.Equal(new Dictionary<string, long> { ["order_status/0"] = 4, ["order_status/1"] = 1, ["order_status/2"] = 1 }, traffic.StepsReached);
        Assert.Equal(new Dictionary<string, long> { ["order_status/0"] = 1 }, traffic.StepRetries);
        Assert.Equal(new Dictionary<Transition, long> { [new("order_status/0", "order_status/1")] = 1, [new("order_status/1", "order_status/2")] = 1 }, traffic.StepTransitions);
        Assert.Equal(new Dictionary<string, long> { ["order_status"] = 4 }, traffic.FlowStarts);
        Assert.Equal(new Dictionary<string, long> { ["browsing"] = 4, ["cart"] = 3 }, traffic.StagesReached);
        Assert.Equal(new Dictionary<Transition, long> { [new("browsing", "cart")] = 2, [new("cart", "browsing")] = 1 }, traffic.StageTransitions);
        Assert.Equal(new Dictionary<string, long> { ["order_status/0"] = 1 }, traffic.DropOffs);
        Assert.Equal(new Dictionary<string, long> { ["cart-idle"] = 1 }, traffic.ProactiveFired);
        Assert.Equal(new Dictionary<string, long> { ["asked-for-human"] = 1 }, traffic.HandoffRules);
        Assert.Equal(0.25, traffic.DropOffRate("order_status/0"));
        Assert.Equal(0, traffic.DropOffRate("never/0"));
    }

    [Fact]
    public async Task A_later_count_sees_the_quiet_conversation_as_dropped_off_too()
    {
        var traffic = await TrafficCounter.CountAsync(new ListTurnLog(KnownTurns()), new TurnLogQuery(), T0.AddHours(2), TimeSpan.FromMinutes(30), TestContext.Current.CancellationToken);
        Assert.Equal(2, traffic.DropOffs["order_status/0"]);
    }

    sealed class ListTurnLog(IReadOnlyList<TurnLogEntry> turns) : ITurnLog
    {
        public async IAsyncEnumerable<TurnLogEntry> ReadTurnsAsync(TurnLogQuery query, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
        {
            foreach (var turn in turns.OrderBy(t => t.Key, StringComparer.Ordinal).ThenBy(t => t.Turn))
            {
                cancellationToken.ThrowIfCancellationRequested();
                await Task.Yield();
                yield return turn;
            }
        }
    }
}
