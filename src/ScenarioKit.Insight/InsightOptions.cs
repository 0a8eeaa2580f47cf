using ScenarioKit.Insight.Privacy;
using ScenarioKit.Model;

namespace ScenarioKit.Insight;

/// <summary>
/// How outcomes are judged. Nothing derived is stored: a report reads the turn log again with these settings, so a new
/// session timeout or target applies to the whole history.
/// </summary>
public sealed record InsightOptions
{
    public static readonly TimeSpan DefaultSessionTimeout = TimeSpan.FromMinutes(30);

    /// <summary>A session that has been quiet this long inside a flow or an ask is abandoned; a later turn starts a new session.</summary>
    public TimeSpan SessionTimeout { get; init; } = DefaultSessionTimeout;

    /// <summary>The share of intent episodes a digital channel must contain (J.D. Power's 85%).</summary>
    public double Target { get; init; } = 0.85;

    /// <summary>Below this many finished episodes an intent gets no verdict: its interval is too wide to say.</summary>
    public int MinimumSample { get; init; } = 30;

    /// <summary>"Now", for telling a quiet session (abandoned) from a live one (ongoing).</summary>
    public DateTimeOffset Now { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>Mask customer text (the default); off only on an explicit <c>--no-mask</c>.</summary>
    public bool Mask { get; init; } = true;

    /// <summary>Which variables hold personal data (their answers are hidden whole).</summary>
    public Func<VariableDef, bool> IsPii { get; init; } = PiiVariables.IsPii;

    /// <summary>How many fallback groups get a nearest intent (the costliest part: one recognition each).</summary>
    public int HotSpotLimit { get; init; } = 50;

    public InsightOptions Validate()
    {
        if (SessionTimeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(SessionTimeout), SessionTimeout, "The session timeout must be positive.");
        if (Target is <= 0 or > 1) throw new ArgumentOutOfRangeException(nameof(Target), Target, "The target is a share from 0 to 1.");
        if (MinimumSample < 1) throw new ArgumentOutOfRangeException(nameof(MinimumSample), MinimumSample, "The minimum sample is at least 1.");
        return this;
    }

    internal TextMasking Masking => Mask ? new TextMasking(true, IsPii) : TextMasking.Off;
}
