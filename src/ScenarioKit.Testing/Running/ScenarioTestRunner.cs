using System.Collections.Immutable;
using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Time.Testing;
using ScenarioKit.Engine;
using ScenarioKit.Language.Diagnostics;
using ScenarioKit.Model;
using ScenarioKit.Testing.Accuracy;
using ScenarioKit.Testing.Binding;
using ScenarioKit.Testing.Coverage;
using ScenarioKit.Testing.Definitions;
using ScenarioKit.Testing.Diagnostics;
using ScenarioKit.Testing.Results;
using ScenarioKit.Testing.Syntax;

namespace ScenarioKit.Testing.Running;

public sealed record TestRunOptions
{
    /// <summary>Runs only tests whose name matches: a <c>*</c> wildcard pattern, otherwise a case-insensitive substring.</summary>
    public string? Filter { get; init; }

    /// <summary>Tests run at the same time (each is its own conversation); at least 1.</summary>
    public int MaxParallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// K for k-fold cross-validation of the intent examples of every scenario the files name (at least 2);
    /// null: none.
    /// </summary>
    public int? CrossValidate { get; init; }

    /// <summary>With <see cref="CrossValidate"/>: the F1 each intent must reach on its held-out examples; null reports only.</summary>
    public double? MinF1 { get; init; }
}

/// <summary>
/// Reads, checks and runs test and accuracy files. Every file is checked against its scenario before
/// any test runs; a file with errors does not run. Tests run in parallel, but results come back in
/// file and test order, and each test's conversation is deterministic (fake clock, mocks, a
/// conversation id derived from the file and test name).
/// </summary>
public static class ScenarioTestRunner
{
    public static async Task<TestRunReport> RunAsync(
        IReadOnlyList<string> testFiles, IReadOnlyList<string> accuracyFiles, TestRunOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(testFiles);
        ArgumentNullException.ThrowIfNull(accuracyFiles);
        ArgumentNullException.ThrowIfNull(options);
        var cache = new ScenarioCache();
        var filter = CreateFilter(options.Filter);

        var prepared = testFiles.Select(f => Prepare(f, cache, filter)).ToList();
        var work = prepared.SelectMany((p, s) => p.Tests.Select((t, i) => (Suite: s, Index: i))).ToList();
        var results = prepared.Select(p => new TestResult[p.Tests.Length]).ToArray();
        await Parallel.ForEachAsync(work,
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.MaxParallelism), CancellationToken = ct },
            async (item, token) =>
            {
                var p = prepared[item.Suite];
                results[item.Suite][item.Index] = await RunTestAsync(p.Scenario!, p.Suite!.File, p.Tests[item.Index], token);
            });

        var suites = prepared
            .Select((p, i) => new SuiteResult(p.File, p.ScenarioPath, [.. results[i]], p.Diagnostics))
            .Where(s => s.HasErrors || !s.Tests.IsEmpty || filter is null)
            .ToImmutableArray();

        var accuracy = ImmutableArray.CreateBuilder<AccuracyResult>();
        var named = prepared.Select(p => p.Scenario).ToList();
        foreach (var file in accuracyFiles)
        {
            var (result, scenario) = await EvaluateAccuracyAsync(file, cache, options, ct);
            accuracy.Add(result);
            named.Add(scenario);
        }

        var crossValidation = ImmutableArray.CreateBuilder<CrossValidationResult>();
        if (options.CrossValidate is { } k)
            // Files may name one scenario differently (its folder, its scenario.yaml): the same content is validated once.
            foreach (var scenario in named.OfType<LoadedScenario>().DistinctBy(s => s.Package.Manifest.ContentHash, StringComparer.Ordinal))
                crossValidation.Add(await CrossValidator.RunAsync(scenario, k, options.MinF1, options.MaxParallelism, ct));

        var usedScenarios = prepared.Where(p => p.Scenario is not null).Select(p => p.Scenario!).Distinct();
        var coverage = new CoverageReport([.. usedScenarios.Select(s => s.Coverage.ToCoverage()).OrderBy(c => c.ScenarioPath, StringComparer.Ordinal)]);
        return new TestRunReport(suites, accuracy.ToImmutable(), coverage) { CrossValidation = crossValidation.ToImmutable() };
    }

    sealed record PreparedSuite(string File, string ScenarioPath, TestSuite? Suite, LoadedScenario? Scenario, ImmutableArray<TestDefinition> Tests, ImmutableArray<Diagnostic> Diagnostics);

    static PreparedSuite Prepare(string path, ScenarioCache cache, Func<string, bool>? filter)
    {
        var diagnostics = new DiagnosticBag();
        var suite = TestFileReader.Read(path, diagnostics);
        var file = suite?.File ?? TestFileReader.DisplayPath(path);
        LoadedScenario? scenario = null;
        if (suite?.ScenarioPath is { } scenarioPath)
        {
            var (loaded, scenarioDiagnostics) = cache.Get(scenarioPath);
            diagnostics.AddRange(scenarioDiagnostics.Where(d => d.IsError).Select(d => d.Span == SourceSpan.None ? d with { Span = suite.ScenarioSpan } : d));
            scenario = loaded;
            if (loaded is not null) TestBinder.Check(suite, loaded.Package.Model, diagnostics);
        }
        var all = diagnostics.ToImmutable();
        var runnable = suite is not null && scenario is not null && !diagnostics.HasErrors;
        var tests = runnable ? [.. suite!.Tests.Where(t => filter is null || filter(t.Name))] : ImmutableArray<TestDefinition>.Empty;
        return new PreparedSuite(file, suite?.ScenarioPath is { } p ? TestFileReader.DisplayPath(p) : "", suite, scenario, tests, all);
    }

    static async Task<TestResult> RunTestAsync(LoadedScenario scenario, string file, TestDefinition test, CancellationToken ct)
    {
        if (test.Skip is { } reason)
            return new TestResult(test.Name, test.Span, TestOutcome.Skipped, TimeSpan.Zero, null, reason, []);
        var watch = Stopwatch.StartNew();
        var execution = new TestExecution(scenario, test, $"test:{file}:{test.Name}");
        StepFailure? failure;
        try
        {
            failure = await execution.RunAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // An engine fault must fail this test with a message, not take the whole run down.
            failure = new StepFailure("(engine)", test.Span, $"the engine failed: {e.GetType().Name}: {e.Message}", "a completed turn", e.ToString(), []);
        }
        watch.Stop();
        return new TestResult(test.Name, test.Span, failure is null ? TestOutcome.Passed : TestOutcome.Failed, watch.Elapsed, failure, null, [.. execution.RuntimeErrors]);
    }

    /// <summary>The file's result, and its scenario when that loaded.</summary>
    static async Task<(AccuracyResult, LoadedScenario?)> EvaluateAccuracyAsync(string path, ScenarioCache cache, TestRunOptions options, CancellationToken ct)
    {
        var diagnostics = new DiagnosticBag();
        var file = AccuracyFileReader.Read(path, diagnostics);
        var display = file?.File ?? TestFileReader.DisplayPath(path);
        if (file is null) return (new AccuracyResult(display, "", AccuracyFileReader.DefaultThreshold, [], diagnostics.ToImmutable()), null);
        var (scenario, scenarioDiagnostics) = cache.Get(file.ScenarioPath);
        diagnostics.AddRange(scenarioDiagnostics.Where(d => d.IsError).Select(d => d.Span == SourceSpan.None ? d with { Span = file.ScenarioSpan } : d));
        if (scenario is not null) AccuracyFileReader.Check(file, scenario.Package.Model, diagnostics);
        if (scenario is null || diagnostics.HasErrors)
            return (new AccuracyResult(display, TestFileReader.DisplayPath(file.ScenarioPath), file.Threshold, [], diagnostics.ToImmutable()), scenario);

        var results = new UtteranceResult[file.Utterances.Length];
        await Parallel.ForEachAsync(Enumerable.Range(0, results.Length),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.MaxParallelism), CancellationToken = ct },
            async (i, token) =>
            {
                var u = file.Utterances[i];
                results[i] = await UtteranceRecognizer.RecognizeAsync(scenario.Runtime, $"accuracy:{display}:{i}", u.Text,
                    AccuracyFileReader.Resolve(u.Intent, scenario.Package.Model), u.Span, token);
            });
        return (new AccuracyResult(display, TestFileReader.DisplayPath(file.ScenarioPath), file.Threshold, [.. results], diagnostics.ToImmutable()), scenario);
    }

    internal static Func<string, bool>? CreateFilter(string? pattern)
    {
        if (string.IsNullOrWhiteSpace(pattern)) return null;
        if (!pattern.Contains('*', StringComparison.Ordinal))
            return name => name.Contains(pattern, StringComparison.OrdinalIgnoreCase);
        var regex = new Regex("^" + string.Join(".*", pattern.Split('*').Select(Regex.Escape)) + "$",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline);
        return name => regex.IsMatch(name);
    }
}
