using ScenarioKit.Model;
using ScenarioKit.Testing.Accuracy;
using ScenarioKit.Testing.Coverage;
using ScenarioKit.Testing.Reporting;
using ScenarioKit.Testing.Results;
using ScenarioKit.Testing.Running;
using ScenarioKit.Testing.Tests.Support;
using Spectre.Console.Testing;
using TestResult = ScenarioKit.Testing.Results.TestResult;

namespace ScenarioKit.Testing.Tests.Reporting;

public class ConsoleReporterTests
{
    [Fact]
    public async Task A_failure_prints_location_expected_and_actual_side_by_side_and_the_conversation()
    {
        var report = await ScenarioTestRunner.RunAsync([Paths.Fixture("Failing", "failing.yaml")], [], new TestRunOptions(), TestContext.Current.CancellationToken);
        var console = new TestConsole().Width(160);
        ConsoleReporter.WriteResults(console, report);
        ConsoleReporter.WriteSummary(console, report, TimeSpan.FromSeconds(1.5));
        var lines = console.Lines;

        Assert.Contains(lines, l => l.Contains("✗ wrong bot text", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("failing.yaml(11,9): the bot's message does not match", StringComparison.Ordinal));
        // Expected and actual share one table row: both texts on the same console line.
        Assert.Contains(lines, l => l.Contains("いらっしゃいませ", StringComparison.Ordinal) && l.Contains("こんにちは！ご用件をどうぞ。", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("expected", StringComparison.Ordinal) && l.Contains("actual", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Trim() == "user: こんにちは");
        // Issue 12: under a reply that did not match, why recognition decided as it did.
        Assert.Contains(lines, l => l.Trim() == "recognition of \"例の件はどうなりましたか\": no intent (fallback); threshold 0.50, ambiguity margin 0.05");
        Assert.Contains(lines, l => l.Contains("FAILED: 15 test(s) failed. Also 0 passed", StringComparison.Ordinal));
    }

    [Fact]
    public void Scenario_text_with_markup_characters_is_printed_as_is()
    {
        var failure = new StepFailure("bot: [red]x[/]", new SourceSpan("a.test.yaml", 3, 9, 3, 20), "the bot's message does not match",
            "[bold]expected[/]", "価格は [税込] です", ["user: [link]"]);
        var report = new TestRunReport(
            [new SuiteResult("a.test.yaml", "s.yaml", [new TestResult("[name]", failure.Location, TestOutcome.Failed, TimeSpan.Zero, failure, null, [])], [])],
            [], CoverageReport.Empty);
        var console = new TestConsole().Width(120);
        ConsoleReporter.WriteResults(console, report);
        Assert.Contains("✗ [name]", console.Output, StringComparison.Ordinal);
        Assert.Contains("[bold]expected[/]", console.Output, StringComparison.Ordinal);
        Assert.Contains("価格は [税込] です", console.Output, StringComparison.Ordinal);
        Assert.Contains("user: [link]", console.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Accuracy_prints_per_intent_confusion_and_misses()
    {
        SourceSpan At(int line) => new("a.accuracy.yaml", line, 5, line, 9);
        var a = new AccuracyResult("a.accuracy.yaml", "s.yaml", 0.85,
        [
            new UtteranceResult("荷物が届かない", "order_status", "order_status", 1, At(2)),
            new UtteranceResult("返品したい", "returns", "order_status", 0.6, At(3)),
        ], []);
        var console = new TestConsole().Width(160);
        ConsoleReporter.WriteAccuracy(console, a, detailed: true);
        var text = console.Output;
        Assert.Contains("accuracy 50.0", text, StringComparison.Ordinal);
        Assert.Contains("FAILED", text, StringComparison.Ordinal);
        Assert.Contains("confusion", text, StringComparison.Ordinal);
        Assert.Contains("a.accuracy.yaml(3,5): \"返品したい\" expected returns, got order_status (0.60)", text, StringComparison.Ordinal);
    }
}
