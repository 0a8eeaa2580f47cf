using ScenarioKit.Insight;
using ScenarioKit.Insight.Outcomes;
using ScenarioKit.Insight.Privacy;
using ScenarioKit.Insight.Rendering;
using ScenarioKit.Server.Tests.Infrastructure;
using ScenarioKit.Storage;

namespace ScenarioKit.Server.Tests.Insight;

/// <summary>
/// Issue 13's proof: a generator drives the real server with a known mix of conversations, and the report built from
/// the stored turn log gives back exactly what was sent.
/// </summary>
public sealed class ReportFiguresTests
{
    /// <summary>Judged two hours later: every session is quiet for longer than the 30-minute timeout.</summary>
    static InsightOptions Later(bool mask = true) => new() { Now = DateTimeOffset.UtcNow.AddHours(2), MinimumSample = 3, Mask = mask };

    /// <summary>The mix for the English reference sample: conversation name prefix → customer messages.</summary>
    static readonly (string Name, int Count, string[] Messages)[] ReferenceMix =
    [
        ("order-ok", 5, ["where is my order", "12345678"]),
        ("returns", 3, ["returns"]),
        ("human", 4, ["talk to a human"]),
        ("order-then-human", 2, ["where is my order", "I want an agent"]),
        ("order-quiet", 3, ["where is my order", "abc"]),
        ("order-gave-up", 1, ["where is my order", "a", "b", "c"]),
        ("pony", 2, ["I want a pony"]),
        ("pony-again", 1, ["i want a pony!!"]),
        ("mail", 1, ["my mail is jane.doe@example.com call +1 555 123 4567"]),
    ];

    [Fact]
    public async Task The_report_counts_exactly_the_conversations_the_generator_sent_to_the_english_sample()
    {
        var directory = TempDirectory.Create();
        await using (var server = await TestServer.StartAsync(bots: [], configure: o => o.Sources.Add(Repo.ReferenceScenario), directory: directory))
        {
            foreach (var (name, count, messages) in ReferenceMix)
            {
                for (var c = 0; c < count; c++)
                {
                    for (var m = 0; m < messages.Length; m++)
                        await server.PostJsonForJsonAsync("/api/messages", Reference.UserActivity($"{name}-{c}", m, text: messages[m]));
                }
            }
        }

        await using var store = new SqliteConversationStore(Path.Combine(directory, "scenariokit.db"));
        var report = await new InsightReportBuilder(store, store).BuildAsync(new ReportFilter("reference-support"), Later(), CancellationToken.None);
        var s = Assert.Single(report.Scenarios);

        // Conversations: contained = order-ok + returns; escalated = human + order-then-human; abandoned = order-quiet +
        // order-gave-up (the bot gave up asking); unengaged = pony, pony-again, mail.
        Assert.Equal(new OutcomeCounts(5 + 3, 4 + 2, 3 + 1, 2 + 1 + 1, 0), s.Conversations);

        var order = s.Intents.Single(i => i.Intent == "order_status");
        Assert.Equal((5 + 2 + 3 + 1, 5, 2, 3 + 1), (order.Volume, order.Contained, order.Escalated, order.Abandoned));
        Assert.Equal(Verdict.Below, order.Verdict);
        var returns = s.Intents.Single(i => i.Intent == "returns");
        Assert.Equal((3, 3, Verdict.Meets), (returns.Volume, returns.Contained, returns.Verdict));
        var handoff = s.Intents.Single(i => i.Intent == "handoff");
        Assert.Equal((4 + 2, 4 + 2), (handoff.Volume, handoff.Escalated));
        // Below the line first, worst first.
        Assert.Equal(["handoff", "order_status", "returns"], s.Intents.Where(i => i.Volume > 0).Select(i => i.Intent));
        Assert.Equal(Wilson.Interval(5, 11), (order.IntervalLow!.Value, order.IntervalHigh!.Value), new RoundedPair());

        var ask = s.Steps.Single(r => r.Kind == "ask" && r.Flow == "order_status");
        Assert.Equal(5 + 2 + 3 + 1, ask.Reached);
        Assert.Equal(3, ask.AbandonedHere);
        Assert.Equal(3 + 2, ask.AskRetries);
        Assert.Equal(1, ask.OnFail);
        Assert.Matches(@"^scenario\.yaml:\d+$", ask.Location);

        var rule = Assert.Single(s.Handoffs);
        Assert.Equal(("asked-for-human", "support", 6), (rule.Rule, rule.Queue, rule.Count));
        Assert.Equal(6, rule.WithinHours + rule.OutOfHours + rule.Unattended);
        Assert.Matches(@"^scenario\.yaml:\d+$", rule.Location);

        Assert.Equal(2 + 1 + 1, s.NotUnderstood);
        var pony = s.HotSpots.First();
        Assert.Equal(3, pony.Count);
        Assert.Contains("pony", pony.Text, StringComparison.OrdinalIgnoreCase);

        // The planted e-mail address and phone number appear in no output; unmasked, they do (the test can fail).
        foreach (var text in Outputs(report))
        {
            Assert.DoesNotContain("jane.doe@example.com", text);
            Assert.DoesNotContain("555 123 4567", text);
        }
        var unmasked = await new InsightReportBuilder(store, store).BuildAsync(new ReportFilter("reference-support"), Later(mask: false), CancellationToken.None);
        Assert.Contains("jane.doe@example.com", HtmlReportWriter.Write(unmasked));
    }

    static readonly (string Name, int Count, string[] Messages)[] RetailMix =
    [
        ("送料", 4, ["送料はいくらですか"]),
        ("担当者", 3, ["担当者と話したい"]),
        ("請求", 2, ["二重に請求されている"]),
        ("注文-離脱", 2, ["注文状況を知りたい", "090-1234-5678"]),
        ("注文-失敗", 1, ["注文状況を知りたい", "12345678"]),
        ("不明", 2, ["あいうえおかきくけこ"]),
        ("不明-連続", 1, ["あいうえおかきくけこ", "さしすせそたちつてと"]),
    ];

    [Fact]
    public async Task The_report_counts_exactly_the_conversations_the_generator_sent_to_the_japanese_sample()
    {
        var directory = TempDirectory.Create();
        await using (var server = await TestServer.StartAsync(bots: [], configure: o => o.Sources.Add(Path.Combine(Repo.Root, "scenarios", "retail-support")), directory: directory))
        {
            foreach (var (name, count, messages) in RetailMix)
            {
                for (var c = 0; c < count; c++)
                {
                    for (var m = 0; m < messages.Length; m++)
                        await server.PostJsonForJsonAsync("/api/messages", Reference.UserActivity($"{name}-{c}", m, text: messages[m]));
                }
            }
        }

        await using var store = new SqliteConversationStore(Path.Combine(directory, "scenariokit.db"));
        // The order number stands in for a variable marked pii: its answers are hidden whole.
        var options = Later() with { IsPii = v => v.Name == "order.number" };
        var report = await new InsightReportBuilder(store, store).BuildAsync(new ReportFilter("retail-support"), options, CancellationToken.None);
        var s = Assert.Single(report.Scenarios);
        Assert.Equal("ja-JP", s.Locale);

        // contained: 送料; escalated: 担当者, 請求, 不明-連続 (misunderstood twice); abandoned: 注文-離脱 (quiet at the ask),
        // 注文-失敗 (the order API failed: onError); unengaged: 不明.
        Assert.Equal(new OutcomeCounts(4, 3 + 2 + 1, 2 + 1, 2, 0), s.Conversations);
        Assert.Equal((4, 4), Pick(s, "shipping_fee", i => (i.Volume, i.Contained)));
        Assert.Equal((3, 3), Pick(s, "human", i => (i.Volume, i.Escalated)));
        Assert.Equal((2, 2, "low"), Pick(s, "billing_dispute", i => (i.Volume, i.Escalated, i.DigitalFit)));
        Assert.Equal((3, 3), Pick(s, "order_status", i => (i.Volume, i.Abandoned)));

        Assert.Equal(
            [("asked-for-human", "support", 3), ("low-digital-fit", "billing", 2), ("misunderstood-twice", "support", 1)],
            s.Handoffs.Select(h => (h.Rule, h.Queue, h.Count)).OrderBy(h => h.Rule, StringComparer.Ordinal));
        Assert.All(s.Handoffs, h => Assert.Equal(h.Count, h.WithinHours + h.OutOfHours + h.Unattended));

        var ask = s.Steps.Single(r => r.Kind == "ask" && r.Flow == "order_status");
        Assert.Equal((3, 2, 2), (ask.Reached, ask.AbandonedHere, ask.AskRetries));
        Assert.Equal([TextMasking.Hidden], ask.RetrySamples);
        Assert.Equal(1, s.Steps.Single(r => r.Kind == "call" && r.Flow == "order_status").ActionFailures);

        var spot = s.HotSpots.First();
        Assert.Equal(("あいうえおかきくけこ", 3), (spot.Text, spot.Count));

        foreach (var text in Outputs(report)) Assert.DoesNotContain("090-1234-5678", text);
        var unmasked = await new InsightReportBuilder(store, store).BuildAsync(new ReportFilter("retail-support"), options with { Mask = false }, CancellationToken.None);
        Assert.Contains("090-1234-5678", JsonReportWriter.Write(unmasked));
        Assert.Contains("あいうえおかきくけこ", HtmlReportWriter.Write(report));
    }

    static T Pick<T>(ScenarioReport s, string intent, Func<IntentRow, T> value) => value(s.Intents.Single(i => i.Intent == intent));

    internal static IEnumerable<string> Outputs(InsightReport report) =>
        [HtmlReportWriter.Write(report), JsonReportWriter.Write(report), .. CsvReportWriter.Write(report).Values, .. report.Scenarios.Select(AccuracySuggestions.Write)];

    sealed class RoundedPair : IEqualityComparer<(double, double)>
    {
        public bool Equals((double, double) x, (double, double) y) => Math.Abs(x.Item1 - y.Item1) < 1e-4 && Math.Abs(x.Item2 - y.Item2) < 1e-4;
        public int GetHashCode((double, double) obj) => 0;
    }
}
