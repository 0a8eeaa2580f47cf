using ScenarioKit.Engine;
using ScenarioKit.Model;
using ScenarioKit.Testing.Accuracy;

namespace ScenarioKit.Testing.Tests.Accuracy;

public class AccuracyResultTests
{
    static UtteranceResult U(string expected, string? actual) =>
        new("text", expected == "none" ? null : expected, actual, actual is null ? 0 : 0.9, new SourceSpan("a.accuracy.yaml", 1, 1, 1, 1));

    static AccuracyResult Sample(double threshold) => new("a.accuracy.yaml", "s.yaml", threshold,
    [
        U("order", "order"), U("order", "order"), U("order", "order"), U("order", "returns"),
        U("returns", "returns"), U("returns", null),
        U("none", null), U("none", "order"),
    ], []);

    [Fact]
    public void Overall_accuracy_and_per_intent_precision_recall_f1()
    {
        var r = Sample(0.85);
        Assert.Equal(5.0 / 8, r.Accuracy, 10);
        var per = r.Metrics.PerIntent.ToDictionary(i => i.Intent ?? "(none)");
        // order: 4 expected (3 right, 1 taken as returns); recognised 4 times (3 right, 1 from a "none" utterance).
        Assert.Equal((4, 4, 3), (per["order"].Support, per["order"].Recognised, per["order"].Correct));
        Assert.Equal((0.75, 0.75, 0.75), (per["order"].Precision, per["order"].Recall, per["order"].F1));
        Assert.Equal((0.5, 0.5, 0.5), (per["returns"].Precision, per["returns"].Recall, per["returns"].F1));
        Assert.Equal(0.5, per["(none)"].Recall, 10);
        Assert.Equal(3, r.Misrecognised.Length);
    }

    [Fact]
    public void Averages_leave_none_out_macro_weighs_intents_equally_micro_pools_counts()
    {
        var m = Sample(0.85).Metrics;
        Assert.Equal(0.625, m.Macro.Precision, 10);
        Assert.Equal(0.625, m.Macro.F1, 10);
        // 4 right of 6 recognised as an intent, of 6 expected as one.
        Assert.Equal(4.0 / 6, m.Micro.Precision, 10);
        Assert.Equal(4.0 / 6, m.Micro.Recall, 10);
    }

    [Fact]
    public void A_fallback_lowers_recall_not_precision_a_wrong_intent_lowers_both()
    {
        var fallback = new ClassificationMetrics([U("order", "order"), U("order", null)]).PerIntent.Single(i => i.Intent == "order");
        Assert.Equal((1.0, 0.5), (fallback.Precision, fallback.Recall));
        Assert.Equal(2.0 / 3, fallback.F1, 10);

        var wrong = new ClassificationMetrics([U("order", "order"), U("returns", "order")]).PerIntent;
        Assert.Equal(0.5, wrong.Single(i => i.Intent == "order").Precision, 10);
        Assert.Equal((0.0, 0.0, 0.0), (wrong.Single(i => i.Intent == "returns").Recall, wrong.Single(i => i.Intent == "returns").Precision, wrong.Single(i => i.Intent == "returns").F1));
    }

    [Fact]
    public void A_miss_that_fell_back_names_the_nearest_intent_and_its_score()
    {
        var miss = U("returns", null) with { Nearest = new IntentScore("returns", 0.42, "example", "返品したい") };
        Assert.Equal("(none); nearest returns (0.42)", miss.Outcome);
        Assert.Equal("order (0.90)", U("returns", "order").Outcome);
        var text = new AccuracyResult("a.accuracy.yaml", "s.yaml", 0.85, [U("order", "order"), miss], []).ToText();
        Assert.Contains("expected returns, got (none); nearest returns (0.42)", text, StringComparison.Ordinal);
        Assert.Contains("order: precision 1.00, recall 1.00, F1 1.00 (1/1)", text, StringComparison.Ordinal);
        Assert.Contains("macro: precision 0.50, recall 0.50, F1 0.50", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Confusion_counts_expected_rows_against_recognised_columns()
    {
        var r = Sample(0.85);
        Assert.Equal(["order", "returns", null], r.Labels);
        Assert.Equal(3, r.Count("order", "order"));
        Assert.Equal(1, r.Count("order", "returns"));
        Assert.Equal(0, r.Count("order", null));
        Assert.Equal(1, r.Count("returns", null));
        Assert.Equal(1, r.Count(null, "order"));
        Assert.Equal(r.Utterances.Length, r.Labels.Sum(e => r.Labels.Sum(a => r.Count(e, a))));
    }

    [Theory]
    [InlineData(0.85, false)]
    [InlineData(0.625, true)]
    [InlineData(0.6, true)]
    public void Passes_when_accuracy_reaches_the_threshold(double threshold, bool passes) =>
        Assert.Equal(passes, Sample(threshold).Passed);

    [Fact]
    public void No_utterances_never_pass() =>
        Assert.False(new AccuracyResult("a", "s", 0.5, [], []).Passed);
}
