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
    public void Overall_and_per_intent_accuracy_are_correct_over_total()
    {
        var r = Sample(0.85);
        Assert.Equal(5.0 / 8, r.Accuracy, 10);
        var per = r.PerIntent.ToDictionary(i => i.Intent ?? "(none)");
        Assert.Equal((4, 3), (per["order"].Total, per["order"].Correct));
        Assert.Equal(0.75, per["order"].Accuracy, 10);
        Assert.Equal(0.5, per["returns"].Accuracy, 10);
        Assert.Equal(0.5, per["(none)"].Accuracy, 10);
        Assert.Equal(3, r.Misrecognised.Length);
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
