using System.Collections.Immutable;
using System.Globalization;
using ScenarioKit.Language.Diagnostics;
using ScenarioKit.Testing.Accuracy;
using ScenarioKit.Testing.Coverage;
using ScenarioKit.Testing.Diagnostics;
using ScenarioKit.Testing.Results;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace ScenarioKit.Testing.Reporting;

/// <summary>
/// Human output of a test run through an injected console: a line per test, failures with expected and
/// actual side by side, the YAML location and the conversation so far; accuracy and coverage tables; a
/// summary. All scenario text is escaped (it may contain Spectre markup characters such as [ and ]).
/// </summary>
public static class ConsoleReporter
{
    /// <param name="detailedAccuracy">Also print precision, recall and F1 per intent and the confusion table (misses are always printed).</param>
    public static void WriteResults(IAnsiConsole console, TestRunReport report, bool detailedAccuracy = false)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(report);
        // A fixture file (only setup, given, mocks) has nothing to report unless it has diagnostics.
        foreach (var suite in report.Suites.Where(s => !s.Tests.IsEmpty || !s.Diagnostics.IsEmpty))
        {
            console.MarkupLine($"[bold]{suite.File.EscapeMarkup()}[/]");
            WriteDiagnostics(console, suite.Diagnostics);
            foreach (var test in suite.Tests) WriteTest(console, test);
            console.WriteLine();
        }
        foreach (var accuracy in report.Accuracy) WriteAccuracy(console, accuracy, detailedAccuracy);
        foreach (var crossValidation in report.CrossValidation) WriteCrossValidation(console, crossValidation);
    }

    public static void WriteDiagnostics(IAnsiConsole console, IEnumerable<Diagnostic> diagnostics)
    {
        foreach (var d in diagnostics)
        {
            var colour = d.IsError ? "red" : "yellow";
            console.MarkupLine($"  [{colour}]{DiagnosticText.Format(d).EscapeMarkup()}[/]");
        }
    }

    static void WriteTest(IAnsiConsole console, TestResult test)
    {
        var ms = test.Duration.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture);
        switch (test.Outcome)
        {
            case TestOutcome.Passed:
                console.MarkupLine($"  [green]✓[/] {test.Name.EscapeMarkup()} [grey]({ms} ms)[/]");
                break;
            case TestOutcome.Skipped:
                console.MarkupLine($"  [yellow]○[/] {test.Name.EscapeMarkup()} [grey](skipped: {(test.SkipReason ?? "").EscapeMarkup()})[/]");
                break;
            default:
                console.MarkupLine($"  [red]✗ {test.Name.EscapeMarkup()}[/] [grey]({ms} ms)[/]");
                if (test.Failure is { } f) WriteFailure(console, f);
                break;
        }
        foreach (var e in test.RuntimeErrors)
            console.MarkupLine($"    [yellow]runtime error:[/] {e.EscapeMarkup()}");
    }

    static void WriteFailure(IAnsiConsole console, StepFailure f)
    {
        console.MarkupLine($"    [red]{f.Location.File.EscapeMarkup()}({f.Location.Line},{f.Location.Column}): {f.Message.EscapeMarkup()}[/]");
        console.MarkupLine($"    [grey]step:[/] {f.Step.EscapeMarkup()}");
        var table = new Table().Border(TableBorder.Rounded).AddColumn("[green]expected[/]").AddColumn("[red]actual[/]");
        table.AddRow(new Text(f.Expected), new Text(f.Actual));
        console.Write(new Padder(table, new Padding(4, 0, 0, 0)));
        foreach (var line in f.Recognition) console.MarkupLine($"    [yellow]{line.EscapeMarkup()}[/]");
        if (!f.Conversation.IsEmpty)
        {
            console.MarkupLine("    [grey]conversation so far:[/]");
            foreach (var line in f.Conversation) console.MarkupLine($"      [grey]{line.EscapeMarkup()}[/]");
        }
    }

    public static void WriteAccuracy(IAnsiConsole console, AccuracyResult a, bool detailed = true)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(a);
        console.MarkupLine($"[bold]{a.File.EscapeMarkup()}[/] [grey](intent accuracy)[/]");
        WriteDiagnostics(console, a.Diagnostics);
        if (a.HasErrors)
        {
            console.WriteLine();
            return;
        }
        var verdict = a.Passed ? "[green]passed[/]" : "[red]FAILED[/]";
        console.MarkupLine(CultureInfo.InvariantCulture,
            $"  accuracy {a.Accuracy:P1} ({a.Utterances.Count(u => u.Correct)}/{a.Utterances.Length}), minimum {a.Threshold:P1}: {verdict}");

        if (detailed) WriteMetrics(console, a.Metrics, a.Utterances.Length);
        WriteMisses(console, a.Misrecognised);
        console.WriteLine();
    }

    /// <summary>A cross-validation: the overall held-out accuracy and verdict, each fold, the metrics and confusion tables, the misses.</summary>
    public static void WriteCrossValidation(IAnsiConsole console, CrossValidationResult c)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(c);
        console.MarkupLine($"[bold]{c.ScenarioPath.EscapeMarkup()}[/] [grey]({Int(c.K)}-fold cross-validation of the intent examples)[/]");
        WriteDiagnostics(console, c.Diagnostics);
        if (c.Utterances.IsEmpty)
        {
            console.MarkupLine("  [grey]no intent examples to hold out (intents recognised by patterns and keywords only)[/]");
            console.WriteLine();
            return;
        }
        var verdict = c.MinF1 is not { } min ? ""
            : c.Passed ? $", minimum F1 per intent {min.ToString("0.00", CultureInfo.InvariantCulture)}: [green]passed[/]"
            : $", minimum F1 per intent {min.ToString("0.00", CultureInfo.InvariantCulture)}: [red]FAILED[/] ({string.Join(", ", c.BelowMinimum.Select(m => m.Intent)).EscapeMarkup()})";
        console.MarkupLine(CultureInfo.InvariantCulture,
            $"  held-out accuracy {c.Accuracy:P1} ({c.Utterances.Count(u => u.Correct)}/{c.Utterances.Length}){verdict}");
        foreach (var f in c.Folds)
            console.MarkupLine(CultureInfo.InvariantCulture, $"  [grey]fold {f.Index + 1}: {f.Correct}/{f.HeldOut} recognised, trained on {f.Trained} examples[/]");
        WriteMetrics(console, c.Metrics, c.Utterances.Length);
        WriteMisses(console, c.Misrecognised);
        console.WriteLine();
    }

    static void WriteMisses(IAnsiConsole console, ImmutableArray<UtteranceResult> misses)
    {
        if (misses.IsEmpty) return;
        console.MarkupLine("  [bold]misrecognised:[/]");
        foreach (var u in misses)
            console.MarkupLine(
                $"    {u.Span.File.EscapeMarkup()}({Int(u.Span.Line)},{Int(u.Span.Column)}): \"{u.Text.EscapeMarkup()}\" expected [green]{AccuracyResult.Label(u.Expected).EscapeMarkup()}[/], got [red]{u.Outcome.EscapeMarkup()}[/]");
    }

    /// <summary>Precision, recall and F1 per intent with the macro and micro averages, then the confusion table.</summary>
    static void WriteMetrics(IAnsiConsole console, ClassificationMetrics metrics, int total)
    {
        var perIntent = new Table().Border(TableBorder.Rounded).AddColumn("intent")
            .AddColumn(new TableColumn("expected").RightAligned()).AddColumn(new TableColumn("recognised").RightAligned())
            .AddColumn(new TableColumn("correct").RightAligned()).AddColumn(new TableColumn("precision").RightAligned())
            .AddColumn(new TableColumn("recall").RightAligned()).AddColumn(new TableColumn("F1").RightAligned());
        foreach (var m in metrics.PerIntent)
            perIntent.AddRow(new Text(AccuracyResult.Label(m.Intent)), new Text(Int(m.Support)), new Text(Int(m.Recognised)), new Text(Int(m.Correct)),
                Rate(m.Precision, m.Recognised > 0), Rate(m.Recall, m.Support > 0), Rate(m.F1, m.Support > 0));
        perIntent.AddRow(new Markup("[bold]macro average[/]"), new Text(""), new Text(""), new Text(""), Rate(metrics.Macro.Precision), Rate(metrics.Macro.Recall), Rate(metrics.Macro.F1));
        perIntent.AddRow(new Markup("[bold]micro average[/]"), new Text(Int(total)), new Text(""), new Text(""), Rate(metrics.Micro.Precision), Rate(metrics.Micro.Recall), Rate(metrics.Micro.F1));
        console.Write(new Padder(perIntent, new Padding(2, 0, 0, 0)));

        var labels = metrics.Labels;
        var confusion = new Table().Border(TableBorder.Rounded).Title("confusion (rows: expected, columns: recognised)");
        confusion.AddColumn("expected \\ recognised");
        foreach (var l in labels) confusion.AddColumn(new TableColumn(Markup.Escape(AccuracyResult.Label(l))).RightAligned());
        foreach (var row in metrics.PerIntent.Where(m => m.Support > 0).Select(m => m.Intent))
        {
            var cells = new List<IRenderable> { new Text(AccuracyResult.Label(row)) };
            foreach (var column in labels)
            {
                var n = metrics.Count(row, column);
                cells.Add(n == 0 ? new Markup("[grey]·[/]") : new Markup(row == column ? $"[green]{Int(n)}[/]" : $"[red]{Int(n)}[/]"));
            }
            confusion.AddRow(cells);
        }
        console.Write(new Padder(confusion, new Padding(2, 0, 0, 0)));
    }

    /// <summary>A rate 0–1 as 0.00, coloured (green from 0.9, yellow from 0.7); "–" when undefined.</summary>
    static IRenderable Rate(double value, bool defined = true)
    {
        if (!defined) return new Markup("[grey]–[/]");
        var colour = value >= 0.9 ? "green" : value >= 0.7 ? "yellow" : "red";
        return new Markup($"[{colour}]{value.ToString("0.00", CultureInfo.InvariantCulture)}[/]");
    }

    public static void WriteCoverage(IAnsiConsole console, CoverageReport coverage)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(coverage);
        if (coverage.Scenarios.IsEmpty) return;
        var kinds = Enum.GetValues<CoverageKind>();
        var table = new Table().Border(TableBorder.Rounded).Title("coverage").AddColumn("scenario");
        foreach (var k in kinds) table.AddColumn(new TableColumn(CoverageWriters.Title(k)).RightAligned());
        foreach (var s in coverage.Scenarios)
        {
            var cells = new List<IRenderable> { new Text(s.ScenarioId) };
            foreach (var k in kinds)
            {
                var c = s[k];
                var colour = c.Reached == c.Total ? "green" : c.Percent >= 80 ? "yellow" : "red";
                cells.Add(new Markup($"[{colour}]{Int(c.Reached)}/{Int(c.Total)} {c.Percent.ToString("0", CultureInfo.InvariantCulture)}%[/]"));
            }
            table.AddRow(cells);
        }
        console.Write(table);
        foreach (var s in coverage.Scenarios)
            foreach (var c in s.Categories.Where(c => c.Kind != CoverageKind.Steps && c.Reached < c.Total))
                console.MarkupLine($"  [yellow]{s.ScenarioId.EscapeMarkup()}: {CoverageWriters.Title(c.Kind).ToLowerInvariant()} not reached:[/] {string.Join(", ", c.Items.Where(i => !i.Reached).Select(i => i.Name)).EscapeMarkup()}");
    }

    /// <summary>
    /// The last line of a run. It starts with the verdict the exit code gives; a failed run says first why it
    /// failed (failed tests, files that did not run, accuracy below the minimum), then what did pass, so a line
    /// such as "1 file(s) with errors, 1 accuracy file(s) passed" cannot read as a success (issue 10).
    /// </summary>
    public static void WriteSummary(IAnsiConsole console, TestRunReport report, TimeSpan elapsed)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(report);
        var failedAccuracy = report.Accuracy.Count(a => !a.HasErrors && !a.Passed);
        var passedAccuracy = report.Accuracy.Count(a => !a.HasErrors && a.Passed);
        var reasons = new List<string>();
        if (report.Failed > 0) reasons.Add($"{Int(report.Failed)} test(s) failed");
        if (report.Errors > 0) reasons.Add($"{Int(report.Errors)} file(s) have errors and did not run (see above)");
        if (failedAccuracy > 0) reasons.Add($"{Int(failedAccuracy)} of {Int(report.Accuracy.Length)} accuracy file(s) below the minimum");
        var failedCrossValidation = report.CrossValidation.Count(c => !c.Passed);
        if (failedCrossValidation > 0) reasons.Add($"{Int(failedCrossValidation)} cross-validation(s) with an intent below the minimum F1");

        var counts = new List<string> { $"{Int(report.Passed)} passed" };
        if (reasons.Count == 0) counts.Add("0 failed");
        if (report.Skipped > 0) counts.Add($"{Int(report.Skipped)} skipped");
        if (passedAccuracy > 0) counts.Add($"{Int(passedAccuracy)} accuracy file(s) passed");
        if (report.CrossValidation.Length > failedCrossValidation) counts.Add($"{Int(report.CrossValidation.Length - failedCrossValidation)} cross-validation(s) done");
        var time = $"[grey]in {elapsed.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture)} s[/]";
        console.MarkupLine(report.Success
            ? $"[green bold]PASSED[/]: {string.Join(", ", counts)} {time}"
            : $"[red bold]FAILED[/]: [red]{string.Join("; ", reasons)}[/]. Also {string.Join(", ", counts)} {time}");
    }

    static string Int(int n) => n.ToString(CultureInfo.InvariantCulture);
}
