using ScenarioKit.Language.Diagnostics;
using ScenarioKit.Model;
using ScenarioKit.Testing.Accuracy;
using ScenarioKit.Testing.Coverage;
using ScenarioKit.Testing.Diagnostics;
using ScenarioKit.Testing.Reporting;
using ScenarioKit.Testing.Results;
using Spectre.Console.Testing;
using TestResult = ScenarioKit.Testing.Results.TestResult;

namespace ScenarioKit.Testing.Tests.Issues;

/// <summary>
/// Issue 10 item 5: a run ended "FAILED: 0 passed, 0 failed, 1 file(s) with errors, 1 accuracy file(s) passed",
/// which reads like a success. The last line says first that and why the run failed.
/// </summary>
public sealed class Issue10_SummaryTests
{
    static readonly SourceSpan At = new("a.test.yaml", 2, 11, 2, 20);

    static string LastLine(TestRunReport report)
    {
        var console = new TestConsole().Width(300);
        ConsoleReporter.WriteSummary(console, report, TimeSpan.FromSeconds(0.5));
        return console.Lines.Last(l => l.Length > 0);
    }

    static AccuracyResult PassingAccuracy() =>
        new("i.accuracy.yaml", "s.yaml", 0.85, [new UtteranceResult("返品したい", "returns", "returns", 1, At with { File = "i.accuracy.yaml" })], []);

    [Fact]
    public void A_file_with_errors_and_a_passing_accuracy_file_is_a_plain_failure_with_its_reason()
    {
        var error = new Diagnostic(TestDiagnostics.UnknownIntent, DiagnosticSeverity.Error, At, "the scenario has no intent 'x'", null);
        var report = new TestRunReport([new SuiteResult("a.test.yaml", "s.yaml", [], [error])], [PassingAccuracy()], CoverageReport.Empty);

        Assert.False(report.Success);
        Assert.Equal("FAILED: 1 file(s) have errors and did not run (see above). Also 0 passed, 1 accuracy file(s) passed in 0.50 s", LastLine(report));
    }

    [Fact]
    public void Every_reason_is_named_and_a_success_stays_short()
    {
        var failure = new StepFailure("bot: x", At, "differs", "x", "y", []);
        var failed = new TestResult("t", At, TestOutcome.Failed, TimeSpan.Zero, failure, null, []);
        var below = new AccuracyResult("b.accuracy.yaml", "s.yaml", 0.85, [new UtteranceResult("返品したい", "returns", null, 0, At)], []);
        var report = new TestRunReport([new SuiteResult("a.test.yaml", "s.yaml", [failed], [])], [PassingAccuracy(), below], CoverageReport.Empty);
        Assert.Equal("FAILED: 1 test(s) failed; 1 of 2 accuracy file(s) below the minimum. Also 0 passed, 1 accuracy file(s) passed in 0.50 s", LastLine(report));

        var passed = new TestResult("t", At, TestOutcome.Passed, TimeSpan.Zero, null, null, []);
        var success = new TestRunReport([new SuiteResult("a.test.yaml", "s.yaml", [passed], [])], [PassingAccuracy()], CoverageReport.Empty);
        Assert.Equal("PASSED: 1 passed, 0 failed, 1 accuracy file(s) passed in 0.50 s", LastLine(success));
    }
}
