namespace ScenarioKit.Insight.Outcomes;

/// <summary>
/// The Wilson score interval for a share: unlike the plain ±1.96·√(p(1−p)/n) it stays inside 0..1 and is honest for
/// small samples and shares near 0 or 1 - which is where an intent just below 85% sits.
/// </summary>
public static class Wilson
{
    const double Z95 = 1.959963984540054;

    public static (double Low, double High) Interval(int successes, int total)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(successes);
        ArgumentOutOfRangeException.ThrowIfLessThan(total, successes);
        if (total == 0) return (0, 1);
        var p = (double)successes / total;
        var z2 = Z95 * Z95;
        var denominator = 1 + z2 / total;
        var centre = (p + z2 / (2 * total)) / denominator;
        var half = Z95 * Math.Sqrt(p * (1 - p) / total + z2 / (4.0 * total * total)) / denominator;
        return (Math.Max(0, centre - half), Math.Min(1, centre + half));
    }
}
