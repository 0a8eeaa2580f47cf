using ScenarioKit.Engine;
using ScenarioKit.Language;
using ScenarioKit.Model;
using ScenarioKit.Testing.Running;
using ScenarioKit.Testing.Tests.Support;

namespace ScenarioKit.Testing.Tests.Accuracy;

/// <summary>
/// Issue 12, session 7: when a pattern gives way to another intent's example the message nearly repeats, a failed step and an
/// accuracy miss say so (telecom sample: "\bbill\b" of billing_question, an example of billing_dispute).
/// </summary>
public sealed class RuleGaveWayOutputTests
{
    static readonly ScenarioRuntime Telecom = ScenarioRuntime.Load(ScenarioCompiler.Compile(Path.Combine(Paths.Root, "scenarios", "telecom-support")).Package!);

    const string Charge = "there's a charge on my bill I don't recognise";

    [Fact]
    public void A_failed_step_names_the_rule_and_the_example_it_gave_way_to()
    {
        var lines = RecognitionText.Lines(Telecom.ExplainRecognition(Charge));
        Assert.Contains("billing_dispute", lines[0], StringComparison.Ordinal);
        var rule = Assert.Single(lines, l => l.StartsWith("  rule gave way: pattern ", StringComparison.Ordinal));
        Assert.Contains("of billing_question: the message nearly repeats an example of billing_dispute", rule, StringComparison.Ordinal);
        Assert.EndsWith("from 0.90); decided by similarity", rule, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_accuracy_miss_appends_the_rule_that_gave_way()
    {
        // Expected deliberately the rule's intent, so the line is a miss and shows why the rule did not decide.
        var miss = await UtteranceRecognizer.RecognizeAsync(Telecom, "acc-1", Charge, "billing_question",
            new SourceSpan("a.accuracy.yaml", 3, 5, 3, 5), TestContext.Current.CancellationToken);
        Assert.Equal("billing_dispute", miss.Actual);
        Assert.NotNull(miss.RuleGaveWay);
        Assert.Contains("; rule gave way: pattern ", miss.Outcome, StringComparison.Ordinal);
    }
}
