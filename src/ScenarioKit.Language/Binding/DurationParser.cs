using System.Globalization;

namespace ScenarioKit.Language.Binding;

/// <summary>Cooldown durations: a sequence of &lt;number&gt;&lt;unit&gt; with units d, h, m, s in that order (30s, 10m, 1h30m).</summary>
internal static class DurationParser
{
    public static bool TryParse(string text, out TimeSpan result)
    {
        result = TimeSpan.Zero;
        var s = text.Trim();
        if (s.Length == 0) return false;
        var units = "dhms";
        var lastUnit = -1;
        var i = 0;
        long totalSeconds = 0;
        while (i < s.Length)
        {
            var start = i;
            while (i < s.Length && char.IsAsciiDigit(s[i])) i++;
            if (i == start || i >= s.Length || i - start > 9) return false;
            var unit = units.IndexOf(s[i], StringComparison.Ordinal);
            if (unit <= lastUnit) return false;
            lastUnit = unit;
            var n = long.Parse(s.AsSpan(start, i - start), NumberStyles.None, CultureInfo.InvariantCulture);
            totalSeconds += n * unit switch { 0 => 86400L, 1 => 3600L, 2 => 60L, _ => 1L };
            i++;
        }
        // A cooldown longer than a year is a typo, not a policy.
        if (totalSeconds <= 0 || totalSeconds > 366L * 86400) return false;
        result = TimeSpan.FromSeconds(totalSeconds);
        return true;
    }
}
