using System.CommandLine;
using System.Diagnostics;
using ScenarioKit.Cli.Console;
using ScenarioKit.Testing.Coverage;
using ScenarioKit.Testing.Reporting;
using ScenarioKit.Testing.Running;
using Spectre.Console;

namespace ScenarioKit.Cli.Commands;

/// <summary><c>scenariokit test</c>: runs scenario tests and intent accuracy files (docs/testing.md).</summary>
internal static class TestCommand
{
    public static Command Create(CliContext context)
    {
        var paths = new Argument<string[]>("paths")
        {
            Description = "Test files (*.test.yaml), accuracy files (*.accuracy.yaml) or folders to search. Default: the current folder.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var filter = new Option<string?>("--filter")
        {
            Description = "Run only tests whose name matches: a pattern with * wildcards, otherwise a case-insensitive substring.",
        };
        var junit = new Option<string?>("--junit")
        {
            Description = "Write JUnit XML results to this file (for CI servers).",
        };
        var coverage = new Option<string?>("--coverage")
        {
            Description = "Write coverage.json and coverage.html into this folder and print the coverage table.",
        };
        var accuracy = new Option<bool>("--accuracy")
        {
            Description = "Show the full intent accuracy report: precision, recall and F1 per intent, their averages and the confusion table.",
        };
        var crossValidate = new Option<int?>("--cross-validate")
        {
            Description = "K-fold cross-validation of the intent examples of every scenario the files name: each example is recognised by a runtime built without it (K at least 2, e.g. 5).",
        };
        crossValidate.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int?>() is < 2) r.AddError("--cross-validate takes the number of folds, at least 2.");
        });
        var minF1 = new Option<double?>("--min-f1")
        {
            Description = "With --cross-validate: fail when an intent's held-out F1 is below this (0 to 1). Default: report only.",
        };
        minF1.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<double?>() is { } v && v is < 0 or > 1) r.AddError("--min-f1 is a number from 0 to 1.");
        });
        var json = new Option<string?>("--json")
        {
            Description = "Write the results as JSON to this file: tests, and per accuracy file and cross-validation the metrics per intent, confusion table and misses.",
        };
        var parallel = new Option<int>("--parallel")
        {
            Description = "Tests run at the same time (default: the number of processors).",
            DefaultValueFactory = _ => Environment.ProcessorCount,
        };
        parallel.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 1) r.AddError("--parallel must be at least 1.");
        });

        var command = new Command("test", "Run scenario tests (*.test.yaml) and intent accuracy files (*.accuracy.yaml): results per test, JUnit XML, coverage of stages, flows, steps, intents, proactive and handoff rules, hub paths and ticket steps.")
        {
            paths, filter, junit, coverage, accuracy, crossValidate, minF1, json, parallel,
        };
        command.Validators.Add(r =>
        {
            if (r.GetValue(minF1) is not null && r.GetValue(crossValidate) is null) r.AddError("--min-f1 needs --cross-validate.");
        });
        HelpExamples.Set(command,
            "scenariokit test",
            "scenariokit test scenarios/retail-support --junit results.xml --coverage coverage",
            "scenariokit test scenarios/retail-support/tests/orders.test.yaml --filter \"注文*\"",
            "scenariokit test scenarios/retail-support/tests/intents.accuracy.yaml --accuracy",
            "scenariokit test scenarios/retail-support --accuracy --cross-validate 5 --json results.json");

        command.SetAction((result, ct) => CommandGuard.RunAsync(context, async () =>
        {
            var given = result.GetValue(paths) is { Length: > 0 } p ? p : [Environment.CurrentDirectory];
            var found = TestFileFinder.Find(given);
            if (!found.Missing.IsEmpty)
                return CommandGuard.Usage(context, found.Missing[0].StartsWith('-')
                    ? $"unknown option {found.Missing[0]} (see scenariokit test --help)."
                    : $"{found.Missing[0]} does not exist.");
            if (found.TestFiles.IsEmpty && found.AccuracyFiles.IsEmpty)
                return CommandGuard.Usage(context, $"no {TestFileFinder.TestSuffix} or {TestFileFinder.AccuracySuffix} files in {string.Join(", ", given)}.");

            var watch = Stopwatch.StartNew();
            var options = new TestRunOptions
            {
                Filter = result.GetValue(filter), MaxParallelism = result.GetValue(parallel),
                CrossValidate = result.GetValue(crossValidate), MinF1 = result.GetValue(minF1),
            };
            var report = await ScenarioTestRunner.RunAsync(found.TestFiles, found.AccuracyFiles, options, ct);
            watch.Stop();

            var console = context.Out;
            ConsoleReporter.WriteResults(console, report, detailedAccuracy: result.GetValue(accuracy));
            if (result.GetValue(coverage) is { } dir)
            {
                CoverageWriters.WriteDirectory(report.Coverage, dir);
                ConsoleReporter.WriteCoverage(console, report.Coverage);
                console.MarkupLine($"[grey]coverage: {Path.Combine(dir, CoverageWriters.HtmlFileName).EscapeMarkup()}, {Path.Combine(dir, CoverageWriters.JsonFileName).EscapeMarkup()}[/]");
            }
            if (result.GetValue(junit) is { } junitPath)
            {
                JUnitWriter.WriteFile(report, junitPath);
                console.MarkupLine($"[grey]JUnit XML: {junitPath.EscapeMarkup()}[/]");
            }
            if (result.GetValue(json) is { } jsonPath)
            {
                JsonReportWriter.WriteFile(report, jsonPath);
                console.MarkupLine($"[grey]JSON: {jsonPath.EscapeMarkup()}[/]");
            }
            ConsoleReporter.WriteSummary(console, report, watch.Elapsed);
            return report.Success ? ExitCodes.Success : ExitCodes.Failed;
        }));
        return command;
    }
}
