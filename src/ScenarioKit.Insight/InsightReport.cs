using System.Collections.Immutable;
using ScenarioKit.Insight.Outcomes;

namespace ScenarioKit.Insight;

// The report as data: what the HTML page, the JSON file and the CSV files all show, so they carry the same numbers.
// Texts in it are already masked (unless the report was made with masking off).

/// <summary>Which turns a report covers. <see cref="ToUtc"/> is exclusive.</summary>
public sealed record ReportFilter(string? ScenarioId = null, string? Version = null, DateTimeOffset? FromUtc = null, DateTimeOffset? ToUtc = null);

/// <summary>The settings a report was judged with (shown in the report so its numbers can be reproduced).</summary>
public sealed record ReportSettings(double SessionTimeoutMinutes, double Target, int MinimumSample, bool Masked);

public sealed record InsightReport(
    DateTimeOffset GeneratedUtc,
    ReportFilter Filter,
    ReportSettings Settings,
    ImmutableArray<ScenarioReport> Scenarios)
{
    /// <summary>Two versions side by side (<c>--compare a..b</c>), when asked for.</summary>
    public ImmutableArray<ComparisonRow> Comparison { get; init; } = [];

    public string? CompareFrom { get; init; }
    public string? CompareTo { get; init; }
}

/// <summary>Everything measured for one scenario (all versions in the filter).</summary>
public sealed record ScenarioReport(
    string ScenarioId,
    string Locale,
    ImmutableArray<string> Versions,
    long Turns,
    OutcomeCounts Conversations,
    OutcomeCounts Episodes,
    ImmutableArray<IntentRow> Intents,
    ImmutableArray<StageRow> Stages,
    ImmutableArray<TransitionRow> Transitions,
    ImmutableArray<ProactiveRow> Proactive,
    ImmutableArray<StepRow> Steps,
    ImmutableArray<HotSpotRow> HotSpots,
    ImmutableArray<HandoffRow> Handoffs)
{
    /// <summary>Packages the turns ran on that the archive no longer has (their steps have no YAML location).</summary>
    public ImmutableArray<string> MissingVersions { get; init; } = [];

    /// <summary>Every message the bot did not understand (the hot spots list the biggest groups of them).</summary>
    public int NotUnderstood { get; init; }
}

public sealed record OutcomeCounts(int Contained, int Escalated, int Abandoned, int Unengaged, int Ongoing)
{
    public static readonly OutcomeCounts Empty = new(0, 0, 0, 0, 0);

    /// <summary>Judged ones (ongoing sessions are not judged yet).</summary>
    public int Total => Contained + Escalated + Abandoned + Unengaged;

    public int Get(Outcome outcome) => outcome switch
    {
        Outcome.Contained => Contained,
        Outcome.Escalated => Escalated,
        Outcome.Abandoned => Abandoned,
        Outcome.Unengaged => Unengaged,
        _ => Ongoing,
    };
}

/// <summary>Whether an intent meets the target: judged only from <see cref="InsightOptions.MinimumSample"/> episodes on.</summary>
public enum Verdict { TooFewToJudge, Below, Meets }

/// <summary>
/// One intent: finished episodes (<see cref="Volume"/>), how many were contained, with a 95% Wilson interval around
/// the contained share.
/// </summary>
public sealed record IntentRow(
    string Intent,
    string DigitalFit,
    int Volume,
    int Contained,
    int Escalated,
    int Abandoned,
    int Ongoing,
    double? ContainedRate,
    double? IntervalLow,
    double? IntervalHigh,
    [property: System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<Verdict>))] Verdict Verdict);

public sealed record StageRow(string Stage, int Conversations);

public sealed record TransitionRow(string From, string To, int Count);

public sealed record NamedCount(string Name, int Count);

/// <summary>A proactive rule: how often it spoke up, how often the customer answered, and how those conversations ended.</summary>
public sealed record ProactiveRow(string Rule, string? Stage, int Shown, int Engaged, OutcomeCounts Followed, ImmutableArray<NamedCount> LastStage);

/// <summary>
/// One step: conversations that reached it, episodes abandoned while waiting at it, invalid answers (an ask asked
/// again), conversations whose ask ran its <c>onFail</c>, failed actions (a call's errors or <c>onError</c>).
/// </summary>
public sealed record StepRow(
    string Step,
    string Flow,
    string Kind,
    string Location,
    int Reached,
    int AbandonedHere,
    int AskRetries,
    int OnFail,
    double? OnFailRate,
    int ActionFailures,
    ImmutableArray<string> RetrySamples);

/// <summary>A group of similar messages the bot did not understand, where they happened and the closest intent.</summary>
public sealed record HotSpotRow(string Text, string Step, int Count, ImmutableArray<string> Samples, string? NearestIntent, double? NearestScore);

/// <summary>Handoffs of one rule to one queue: inside or outside opening hours, the wait for an agent and how the human conversation ended.</summary>
public sealed record HandoffRow(
    string Rule,
    string Location,
    string Queue,
    int Count,
    int WithinHours,
    int OutOfHours,
    int Unattended,
    int Accepted,
    double? AverageWaitSeconds,
    ImmutableArray<NamedCount> AgentOutcomes);

/// <summary>One metric in two versions (<c>--compare a..b</c>). Rates are shares (0..1).</summary>
public sealed record ComparisonRow(string Scenario, string Metric, double? From, double? To)
{
    public double? Delta => From is { } a && To is { } b ? Math.Round(b - a, 6) : null;
}
