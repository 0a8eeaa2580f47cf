// placeholder: replaced by branch i11-dates at merge
using System.Globalization;
using System.Text.RegularExpressions;

namespace ScenarioKit.Engine.Extraction;

/// <summary>A value found in a text: where it starts, how many UTF-16 units it spans, what it means.</summary>
internal readonly record struct Found<T>(int Start, int Length, T Value);

/// <summary>
/// Dates and times written inside a sentence (minimal forms: <c>2026-12-08</c>, <c>12/8</c>, <c>12月8日</c>,
/// <c>15:30</c>). A date without a year is the next one not before <c>today</c>.
/// </summary>
internal static partial class DateTimeText
{
    public static IReadOnlyList<Found<DateOnly>> FindDates(string text, DateOnly today)
    {
        var found = new List<Found<DateOnly>>();
        foreach (Match m in DatePattern().Matches(text))
        {
            var g = m.Groups;
            var (yearGroup, monthGroup, dayGroup) = g["y1"].Success || g["m1"].Success ? (g["y1"], g["m1"], g["d1"]) : (g["y2"], g["m2"], g["d2"]);
            var month = int.Parse(monthGroup.ValueSpan, CultureInfo.InvariantCulture);
            var day = int.Parse(dayGroup.ValueSpan, CultureInfo.InvariantCulture);
            if (month is < 1 or > 12 || day < 1) continue;
            int year;
            if (yearGroup.Success) year = int.Parse(yearGroup.ValueSpan, CultureInfo.InvariantCulture);
            else
            {
                year = today.Year;
                if (day <= DateTime.DaysInMonth(year, month) && new DateOnly(year, month, day) < today) year++;
            }
            if (year is < 1 or > 9999 || day > DateTime.DaysInMonth(year, month)) continue;
            found.Add(new Found<DateOnly>(m.Index, m.Length, new DateOnly(year, month, day)));
        }
        return found;
    }

    public static IReadOnlyList<Found<TimeOnly>> FindTimes(string text)
    {
        var found = new List<Found<TimeOnly>>();
        foreach (Match m in TimePattern().Matches(text))
        {
            var hour = int.Parse(m.Groups[1].ValueSpan, CultureInfo.InvariantCulture);
            var minute = int.Parse(m.Groups[2].ValueSpan, CultureInfo.InvariantCulture);
            if (hour > 23 || minute > 59) continue;
            found.Add(new Found<TimeOnly>(m.Index, m.Length, new TimeOnly(hour, minute)));
        }
        return found;
    }

    [GeneratedRegex(@"(?<![0-9])(?:(?:(?<y1>\d{4})[-/.])?(?<m1>\d{1,2})/(?<d1>\d{1,2})|(?<y1>\d{4})-(?<m1>\d{1,2})-(?<d1>\d{1,2})|(?:(?<y2>\d{4})年)?(?<m2>\d{1,2})月(?<d2>\d{1,2})日)(?![0-9])", RegexOptions.CultureInvariant, 100)]
    private static partial Regex DatePattern();

    [GeneratedRegex(@"(?<![0-9])(\d{1,2}):(\d{2})(?![0-9])", RegexOptions.CultureInvariant, 100)]
    private static partial Regex TimePattern();
}
