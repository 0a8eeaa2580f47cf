using System.Globalization;
using ScenarioKit.Language.Diagnostics;
using ScenarioKit.Model;

namespace ScenarioKit.Language.Binding;

/// <summary>
/// Dates as a designer writes them (docs/language.md "Validating answers", "Queue calendars"):
/// bounds are <c>2026-12-05</c>, <c>today</c>, <c>+30d</c>, <c>-1d</c>, <c>+2w</c>; closed days are
/// <c>2026-05-04</c> (that day), <c>01-01</c> (every year) or a range of either form joined by <c>..</c>.
/// </summary>
internal static class DateLiterals
{
    /// <summary>Yearly dates are kept in a leap year so that 02-29 is a day.</summary>
    const int YearlyYear = 2000;

    public static readonly Localized BoundName = new("date bound (2026-12-05, today, +30d, -1d, +2w)", "日付の範囲（2026-12-05、today、+30d、-1d、+2w）");
    public static readonly Localized ClosedName = new("closed day or range (2026-05-04, 01-01, 12-29..01-03)", "休業日・休業期間（2026-05-04、01-01、12-29..01-03）");

    public static bool TryParseBound(string text, out DateBound bound)
    {
        bound = new DateBound(null, 0);
        if (text == "today") return true;
        if (TryParseDate(text, out var date))
        {
            bound = new DateBound(date, 0);
            return true;
        }
        if (text.Length < 3 || text[0] is not ('+' or '-') || text[^1] is not ('d' or 'w')) return false;
        if (!int.TryParse(text.AsSpan(1, text.Length - 2), NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n > 3660) return false;
        bound = new DateBound(null, (text[0] == '-' ? -n : n) * (text[^1] == 'w' ? 7 : 1));
        return true;
    }

    /// <summary>How a bound reads in a message: the date, or "today+30".</summary>
    public static string Describe(DateBound bound) =>
        bound.Date is { } d ? d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
        : bound.Days == 0 ? "today" : FormattableString.Invariant($"today{bound.Days:+0;-0}d");

    /// <summary>Which of two bounds is later, when that does not depend on the day the scenario runs.</summary>
    public static bool IsAfter(DateBound a, DateBound b) => (a.Date, b.Date) switch
    {
        ({ } x, { } y) => x > y,
        (null, null) => a.Days > b.Days,
        _ => false,
    };

    /// <param name="reversed">The text is well formed but a dated range ends before it starts.</param>
    public static bool TryParseClosed(string text, out ClosedDates closed, out bool reversed)
    {
        closed = new ClosedDates(default, default, false);
        reversed = false;
        var parts = text.Split("..");
        if (parts.Length > 2) return false;
        if (!TryParseDay(parts[0].Trim(), out var from, out var yearly)) return false;
        var to = from;
        if (parts.Length == 2 && (!TryParseDay(parts[1].Trim(), out to, out var yearlyTo) || yearlyTo != yearly)) return false;
        closed = new ClosedDates(from, to, yearly);
        reversed = !yearly && to < from;
        return !reversed;
    }

    static bool TryParseDay(string text, out DateOnly date, out bool yearly)
    {
        yearly = text.Length == 5;
        return yearly ? TryExact($"{YearlyYear}-{text}", out date) : TryParseDate(text, out date);
    }

    public static bool TryParseDate(string text, out DateOnly date) => TryExact(text, out date);

    static bool TryExact(string text, out DateOnly date) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
}
