using System.Collections.Immutable;
using System.Xml.Linq;
using ScenarioKit.Language.Diagnostics;
using ScenarioKit.Model;
using ScenarioKit.Testing.Accuracy;
using ScenarioKit.Testing.Coverage;
using ScenarioKit.Testing.Diagnostics;
using ScenarioKit.Testing.Reporting;
using ScenarioKit.Testing.Results;
using TestResult = ScenarioKit.Testing.Results.TestResult;

namespace ScenarioKit.Testing.Tests.Reporting;

public class JUnitWriterTests
{
    static SourceSpan At(string file, int line) => new(file, line, 7, line, 20);

    static TestRunReport Sample()
    {
        var failure = new StepFailure("bot: いらっしゃいませ", At("a.test.yaml", 12), "the bot's message does not match",
            "いらっしゃいませ", "こんにちは！\u0001 <&> \"quoted\"", ["user: こんにちは", "bot:  こんにちは！"]);
        var passing = new SuiteResult("a.test.yaml", "scenario.yaml",
        [
            new TestResult("passes", At("a.test.yaml", 3), TestOutcome.Passed, TimeSpan.FromMilliseconds(12), null, null, []),
            new TestResult("fails", At("a.test.yaml", 9), TestOutcome.Failed, TimeSpan.FromMilliseconds(30), failure, null, ["scenario.yaml(3,5): boom"]),
            new TestResult("skipped", At("a.test.yaml", 20), TestOutcome.Skipped, TimeSpan.Zero, null, "later", []),
        ], []);
        var broken = new SuiteResult("b.test.yaml", "scenario.yaml", [],
        [
            new Diagnostic(TestDiagnostics.UnknownIntent, DiagnosticSeverity.Error, At("b.test.yaml", 4), "the scenario has no intent 'refund'", null),
        ]);
        var accuracy = new AccuracyResult("intents.accuracy.yaml", "scenario.yaml", 0.85,
        [
            new UtteranceResult("荷物", "order_status", "order_status", 1, At("intents.accuracy.yaml", 2)),
            new UtteranceResult("返品", "returns", null, 0, At("intents.accuracy.yaml", 3)),
        ], []);
        return new TestRunReport([passing, broken], [accuracy], CoverageReport.Empty);
    }

    [Fact]
    public void Output_is_well_formed_with_counts_at_every_level()
    {
        var doc = XDocument.Parse(JUnitWriter.Write(Sample()));
        var root = doc.Root!;
        Assert.Equal("testsuites", root.Name.LocalName);
        Assert.Equal("5", (string?)root.Attribute("tests"));
        Assert.Equal("2", (string?)root.Attribute("failures"));
        Assert.Equal("1", (string?)root.Attribute("errors"));
        Assert.Equal("1", (string?)root.Attribute("skipped"));

        var suites = root.Elements("testsuite").ToList();
        Assert.Equal(3, suites.Count);
        static string Counts(XElement e) => string.Join(" ", new[] { "tests", "failures", "errors", "skipped" }.Select(a => (string)e.Attribute(a)!));
        Assert.Equal("3 1 0 1", Counts(suites[0]));
        Assert.Equal("1 0 1 0", Counts(suites[1]));
        Assert.Equal("1 1 0 0", Counts(suites[2]));
        foreach (var suite in suites)
            Assert.Equal(int.Parse((string)suite.Attribute("tests")!, System.Globalization.CultureInfo.InvariantCulture), suite.Elements("testcase").Count());
    }

    [Fact]
    public void A_failure_carries_file_and_line_in_its_message_and_the_conversation_in_its_text()
    {
        var doc = XDocument.Parse(JUnitWriter.Write(Sample()));
        var failed = doc.Descendants("testcase").Single(t => (string?)t.Attribute("name") == "fails");
        Assert.Equal("9", (string?)failed.Attribute("line"));
        var failure = failed.Element("failure")!;
        Assert.Equal("a.test.yaml(12,7): the bot's message does not match", (string?)failure.Attribute("message"));
        Assert.Contains("expected: いらっしゃいませ", failure.Value, StringComparison.Ordinal);
        Assert.Contains("actual:   こんにちは！\uFFFD <&> \"quoted\"", failure.Value, StringComparison.Ordinal);
        Assert.Contains("user: こんにちは", failure.Value, StringComparison.Ordinal);
        Assert.Contains("boom", failed.Element("system-err")!.Value, StringComparison.Ordinal);

        var error = doc.Descendants("testcase").Single(t => (string?)t.Attribute("classname") == "b.test.yaml").Element("error")!;
        Assert.Equal("SK5101", (string?)error.Attribute("type"));
        Assert.StartsWith("b.test.yaml(4,7): error SK5101:", (string?)error.Attribute("message"), StringComparison.Ordinal);

        var accuracy = doc.Descendants("testcase").Single(t => (string?)t.Attribute("name") == "intent accuracy").Element("failure")!;
        Assert.Contains("50.0", (string?)accuracy.Attribute("message"), StringComparison.Ordinal);
        Assert.Contains("\"返品\" expected returns, got (none)", accuracy.Value, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_run_is_still_a_valid_document()
    {
        var doc = XDocument.Parse(JUnitWriter.Write(new TestRunReport([], [], CoverageReport.Empty)));
        Assert.Equal("0", (string?)doc.Root!.Attribute("tests"));
    }
}
