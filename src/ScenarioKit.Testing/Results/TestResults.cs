using System.Collections.Immutable;
using ScenarioKit.Language.Diagnostics;
using ScenarioKit.Model;
using ScenarioKit.Testing.Accuracy;
using ScenarioKit.Testing.Coverage;

namespace ScenarioKit.Testing.Results;

public enum TestOutcome { Passed, Failed, Skipped }

/// <summary>
/// Why a test failed: the step (as written), where it is in the YAML, what it expected and what
/// happened, and the conversation up to that point (one line per message or event).
/// </summary>
public sealed record StepFailure(
    string Step,
    SourceSpan Location,
    string Message,
    string Expected,
    string Actual,
    ImmutableArray<string> Conversation)
{
    /// <summary>Why the last user message got its intent, when the failure is about the reply to it (<see cref="Running.RecognitionText"/>); else empty.</summary>
    public ImmutableArray<string> Recognition { get; init; } = [];

    /// <summary>Plain text for logs and JUnit: location and message, expected/actual, then the conversation.</summary>
    public string ToText()
    {
        var lines = new List<string>
        {
            $"{Location.File}({Location.Line},{Location.Column}): {Message}",
            $"  step:     {Step}",
            $"  expected: {Indent(Expected)}",
            $"  actual:   {Indent(Actual)}",
        };
        lines.AddRange(Recognition.Select(r => "  " + r));
        if (!Conversation.IsEmpty)
        {
            lines.Add("  conversation so far:");
            lines.AddRange(Conversation.Select(c => "    " + c));
        }
        return string.Join('\n', lines);
    }

    static string Indent(string text) => text.Replace("\n", "\n            ", StringComparison.Ordinal);
}

public sealed record TestResult(
    string Name,
    SourceSpan Span,
    TestOutcome Outcome,
    TimeSpan Duration,
    StepFailure? Failure,
    string? SkipReason,
    ImmutableArray<string> RuntimeErrors);

/// <summary>The result of one test file: its tests, or the diagnostics that stopped it from running.</summary>
public sealed record SuiteResult(string File, string ScenarioPath, ImmutableArray<TestResult> Tests, ImmutableArray<Diagnostic> Diagnostics)
{
    public bool HasErrors => Diagnostics.Any(d => d.IsError);
    public TimeSpan Duration => Tests.Aggregate(TimeSpan.Zero, (t, r) => t + r.Duration);
}

/// <summary>Everything one <c>scenariokit test</c> run produced.</summary>
public sealed record TestRunReport(ImmutableArray<SuiteResult> Suites, ImmutableArray<AccuracyResult> Accuracy, CoverageReport Coverage)
{
    public int Passed => Suites.Sum(s => s.Tests.Count(t => t.Outcome == TestOutcome.Passed));
    public int Failed => Suites.Sum(s => s.Tests.Count(t => t.Outcome == TestOutcome.Failed));
    public int Skipped => Suites.Sum(s => s.Tests.Count(t => t.Outcome == TestOutcome.Skipped));

    /// <summary>K-fold cross-validation of each scenario's intent examples, when asked for (<c>--cross-validate</c>).</summary>
    public ImmutableArray<CrossValidationResult> CrossValidation { get; init; } = [];

    /// <summary>Files that could not run (diagnostics with errors).</summary>
    public int Errors => Suites.Count(s => s.HasErrors) + Accuracy.Count(a => a.HasErrors);

    public bool Success => Failed == 0 && Errors == 0 && Accuracy.All(a => a.Passed) && CrossValidation.All(c => c.Passed);
}
