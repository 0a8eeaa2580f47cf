using System.Text.Json;
using ScenarioKit.Engine;
using ScenarioKit.Language;
using ScenarioKit.Model;
using ScenarioKit.Testing.Accuracy;
using ScenarioKit.Testing.Coverage;
using ScenarioKit.Testing.Reporting;
using ScenarioKit.Testing.Results;
using ScenarioKit.Testing.Running;
using ScenarioKit.Testing.Tests.Support;

namespace ScenarioKit.Testing.Tests.Accuracy;

/// <summary>Issue 12, session 5: when a message is rejected as out of scope, the test runner's output says why.</summary>
public sealed class OutOfScopeOutputTests
{
    static readonly ScenarioRuntime Reference = ScenarioRuntime.Load(ScenarioCompiler.Compile(Path.Combine(Paths.Root, "scenarios", "reference-support")).Package!);

    const string Holiday = "the package holiday to Mexico was great";

    [Fact]
    public void A_failed_step_shows_the_unknown_share_and_words()
    {
        var lines = RecognitionText.Lines(Reference.ExplainRecognition(Holiday));
        Assert.Contains("no intent (fallback)", lines[0], StringComparison.Ordinal);
        var scope = Assert.Single(lines, l => l.StartsWith("  out of scope: ", StringComparison.Ordinal));
        Assert.Contains("limit 75 %", scope, StringComparison.Ordinal);
        Assert.Contains("mexico", scope, StringComparison.Ordinal);
        // The intents it came close to are still listed.
        Assert.Contains(lines, l => l.StartsWith("  1. order_status", StringComparison.Ordinal));
    }

    [Fact]
    public void An_accuracy_miss_says_it_was_out_of_scope_and_what_was_nearest()
    {
        var explanation = Reference.ExplainRecognition(Holiday);
        var miss = new UtteranceResult(Holiday, "order_status", null, 0, new SourceSpan("a.accuracy.yaml", 3, 5, 3, 5),
            explanation.Top[0], explanation.OutOfScope);
        Assert.StartsWith("(none); out of scope, ", miss.Outcome, StringComparison.Ordinal);
        Assert.EndsWith(FormattableString.Invariant($"; nearest order_status ({explanation.Top[0].Score:0.00})"), miss.Outcome, StringComparison.Ordinal);

        var accuracy = new AccuracyResult("a.accuracy.yaml", "s.yaml", 0.85, [miss], []);
        var json = JsonDocument.Parse(JsonReportWriter.Write(new TestRunReport([], [accuracy], CoverageReport.Empty))).RootElement;
        var scope = json.GetProperty("accuracy")[0].GetProperty("misrecognised")[0].GetProperty("outOfScope");
        Assert.Equal(0.75, scope.GetProperty("limit").GetDouble());
        Assert.Contains("mexico", scope.GetProperty("unknownWords").EnumerateArray().Select(w => w.GetString()));
    }

    [Fact]
    public async Task An_accuracy_miss_lists_the_lexicon_groups_the_text_met()
    {
        // Session 6: "reimbursed" is no word of the examples; the built-in lexicon reads it as the refund group, which
        // "refund my purchase" has. Expected deliberately wrong, so the line is a miss and shows the group.
        var miss = await UtteranceRecognizer.RecognizeAsync(Reference, "acc-1", "when will I be reimbursed", "greeting",
            new SourceSpan("a.accuracy.yaml", 3, 5, 3, 5), TestContext.Current.CancellationToken);
        Assert.False(miss.Correct);
        Assert.EndsWith("; lexicon: reimbursed≈refund", miss.Outcome, StringComparison.Ordinal);
        var lines = RecognitionText.Lines(Reference.ExplainRecognition("when will I be reimbursed"));
        Assert.Contains("  lexicon: reimbursed≈refund", lines);
    }

    [Fact]
    public void A_recognised_message_shows_its_scope_without_rejecting_it()
    {
        var lines = RecognitionText.Lines(Reference.ExplainRecognition("I want to return these shoes"));
        Assert.Contains(lines, l => l.StartsWith("  scope: ", StringComparison.Ordinal) && l.Contains("shoes", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith("  out of scope", StringComparison.Ordinal));
    }
}
