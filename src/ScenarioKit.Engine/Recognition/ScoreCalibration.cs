namespace ScenarioKit.Engine.Recognition;

/// <summary>
/// Maps a raw similarity to the confidence the threshold and the ambiguity margin are compared with, so
/// that they mean the same in every scenario (docs/engine.md "Calibration"). Raw similarities depend on
/// how long and how varied a scenario's examples are, so the scale is measured once per package by
/// leave-one-out over its own examples: each example is scored as if a customer had typed it, with
/// itself removed. Two anchors come out: <c>wrong</c>, the 90th percentile of the best score an example
/// gets from another intent, and <c>right</c>, the median score it gets from its own intent. Confidence is
/// piecewise linear through (0, 0), (wrong, <see cref="WrongConfidence"/>), (right, <see cref="RightConfidence"/>), (1, 1):
/// a threshold of 0.6 means "clearly above what other intents reach", 0.8 "as close as a typical paraphrase".
/// Too few examples to measure (fewer than <see cref="MinimumSamples"/> leave-one-out pairs) keeps the default anchors;
/// otherwise the measured anchors are shrunk towards them by <see cref="PriorSamples"/> pairs' weight, so a small
/// scenario's noisy measurement cannot make the scale arbitrarily steep.
/// </summary>
internal sealed class ScoreCalibration
{
    public const double WrongConfidence = 0.5;
    public const double RightConfidence = 0.8;
    public const int MinimumSamples = 8;

    /// <summary>At most this many examples are left out (evenly spread), so loading a large scenario stays fast.</summary>
    const int MaximumSamples = 2000;

    /// <summary>Anchors used when a scenario has too few examples to measure its own.</summary>
    static readonly ScoreCalibration Default = new(0.3, 0.5);

    ScoreCalibration(double wrong, double right)
    {
        Wrong = wrong;
        Right = Math.Max(right, wrong + 0.05);
    }

    /// <summary>The raw score other intents' examples reach (90th percentile).</summary>
    public double Wrong { get; }

    /// <summary>The raw score an intent's own examples reach (median).</summary>
    public double Right { get; }

    public double Confidence(double raw)
    {
        raw = Math.Clamp(raw, 0, 1);
        if (raw <= Wrong) return WrongConfidence * raw / Wrong;
        if (raw <= Right) return WrongConfidence + (RightConfidence - WrongConfidence) * (raw - Wrong) / (Right - Wrong);
        return Right >= 1 ? 1 : RightConfidence + (1 - RightConfidence) * (raw - Right) / (1 - Right);
    }

    public static ScoreCalibration Measure(SimilarityIndex index)
    {
        var own = new List<double>();
        var other = new List<double>();
        var stride = Math.Max(1, index.ExampleCount / MaximumSamples);
        for (var e = 0; e < index.ExampleCount; e += stride)
        {
            var intent = index.Owner[e];
            if (index.IsKeyword[e]) continue;
            if (index.ExamplesOf(intent) < 2) continue;
            own.Add(index.RawScores(index.ExampleVectors[e], i => i == intent, exclude: e, count: 1, examplesOnly: true).FirstOrDefault().Score);
            other.Add(index.RawScores(index.ExampleVectors[e], i => i != intent, exclude: e, count: 1, examplesOnly: true).FirstOrDefault().Score);
        }
        if (own.Count < MinimumSamples) return Default;
        var wrong = Percentile(other, 0.9);
        var right = Percentile(own, 0.5);
        if (wrong <= 0.01) return Default;
        // Shrink towards the default anchors as if they had been measured on PriorSamples pairs: a scenario
        // with 4 intents × 5 short examples measures wrong ≈ right, and unshrunk that maps a raw score a
        // hair above "wrong" to "right" (one shared word scored as a typical paraphrase).
        return new ScoreCalibration(Shrink(wrong, Default.Wrong, own.Count), Shrink(right, Default.Right, own.Count));
    }

    /// <summary>Weight of the default anchors, in leave-one-out pairs (docs/engine.md "Calibration").</summary>
    public const int PriorSamples = 16;

    static double Shrink(double measured, double prior, int samples) => (samples * measured + PriorSamples * prior) / (samples + PriorSamples);

    static double Percentile(List<double> values, double p)
    {
        values.Sort();
        return values[Math.Min(values.Count - 1, (int)(p * values.Count))];
    }
}
