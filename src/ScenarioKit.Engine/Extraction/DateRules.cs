using System.Globalization;
using System.Text.RegularExpressions;

namespace ScenarioKit.Engine.Extraction;

/// <summary>
/// The ways a date is written (docs/language.md "Dates and times"), one rule each. A weekday written
/// next to a date (12月5日(土), Sat 5 Dec) must agree with it; when it does not, the text is no date
/// at all, so the ask retries instead of guessing which half the customer meant.
/// </summary>
internal static partial class DateRules
{
    const string JaWeekday = "[月火水木金土日]";
    const string EnWeekday = "monday|mon|tuesday|tues|tue|wednesday|wed|thursday|thurs|thur|thu|friday|fri|saturday|sat|sunday|sun";
    const string EnWeekdayFull = "monday|tuesday|wednesday|thursday|friday|saturday|sunday";
    const string Months = "january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec";
    const string EnCount = @"\d{1,3}|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve";

    /// <summary>(土), (土曜日), 土曜日, の土曜, (Sat), , Saturday: checked against the date.</summary>
    const string WeekdayAfter = @"(?:\s*\(\s*(?:(?<wd>" + JaWeekday + @")(?:曜日?)?|(?<wd>" + EnWeekday + @")\.?)\s*\)|\s*の?(?<wd>" + JaWeekday + @")曜日?|,?\s+(?<wd>" + EnWeekdayFull + @")\b)?";

    /// <summary>Sat, / Saturday the: before an English date.</summary>
    const string WeekdayBefore = @"(?:(?<wd>" + EnWeekday + @")\.?,?\s+(?:the\s+)?)?";

    /// <summary>Not a quantity: 5日間, 3日以内, 1日2回, 5日後 (a relative date has its own rule).</summary>
    const string NotDuration = @"(?!\s*(?:間|以内|以上|以下|未満|ほど|くらい|ぐらい|程度|前後|分|おき|毎|ごと|後|前|目|中|\d))";

    [GeneratedRegex(@"(?<![a-z])(?<era>令和|平成|昭和|R|H|S)\s*(?<ey>元|\d{1,2})\s*(?:年\s*(?<m>\d{1,2})\s*月\s*(?<d>\d{1,2})\s*日|[./](?<m>\d{1,2})[./](?<d>\d{1,2})(?!\d))" + WeekdayAfter, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex EraDate();

    [GeneratedRegex(@"(?<![\d./-])(?<y>\d{4})(?<sep>[-/.])(?<m>\d{1,2})\k<sep>(?<d>\d{1,2})(?!\d|[./-]\d)" + WeekdayAfter, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NumericYearDate();

    [GeneratedRegex(@"(?<!\d)(?<y>\d{4})\s*年\s*(?<m>\d{1,2})\s*月\s*(?<d>\d{1,2})\s*日" + WeekdayAfter, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex KanjiYearDate();

    [GeneratedRegex(@"(?:(?<rel>今年|来年|再来年)\s*の?\s*)?(?<!\d|\d\s*年\s*)(?<m>\d{1,2})\s*月\s*(?<d>\d{1,2})\s*日(?!\s*間)" + WeekdayAfter, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex KanjiDate();

    [GeneratedRegex(@"(?<rel>今月|来月|再来月)\s*の?\s*(?<d>\d{1,2})\s*日" + NotDuration + WeekdayAfter, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DayOfRelativeMonth();

    /// <summary>Month first (12/5, 12/5/2026), as both Japanese and US English write it; 1/2くらい and 1/2 of are fractions.</summary>
    [GeneratedRegex(@"(?<![\d./:-])(?<m>\d{1,2})/(?<d>\d{1,2})(?:/(?<y>\d{4}))?(?![\d/]|\s*(?:くらい|ぐらい|位|程度|ほど|以上|以下|未満|%|of\b))" + WeekdayAfter, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SlashDate();

    [GeneratedRegex(@"(?<![\d月年/.])(?<d>\d{1,2})\s*日" + NotDuration + WeekdayAfter, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex KanjiDay();

    [GeneratedRegex(@"\b" + WeekdayBefore + @"(?:the\s+)?(?<d>\d{1,2})(?:st|nd|rd|th)\b(?:\s+of\s+(?<next>next|this)\s+month\b)?" + WeekdayAfter, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex OrdinalDay();

    [GeneratedRegex(@"\b" + WeekdayBefore + @"(?<mon>" + Months + @")\b\.?\s+(?:the\s+)?(?<d>\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(?<y>\d{4})\b)?" + WeekdayAfter, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex MonthDay();

    [GeneratedRegex(@"\b" + WeekdayBefore + @"(?:the\s+)?(?<d>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(?<mon>" + Months + @")\b\.?(?:,?\s+(?<y>\d{4})\b)?" + WeekdayAfter, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DayMonth();

    [GeneratedRegex(@"明々後日|明明後日|明後日|しあさって|あさって|一昨日|おととい|おとつい|今日|本日|きょう|明日|あした|あす|昨日|きのう", RegexOptions.CultureInvariant)]
    private static partial Regex JapaneseRelative();

    [GeneratedRegex(@"\b(?:the\s+)?day\s+after\s+tomorrow\b|\b(?:the\s+)?day\s+before\s+yesterday\b|\b(?:today|tonight|tomorrow|tmrw|yesterday)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex EnglishRelative();

    [GeneratedRegex(@"(?<n>\d{1,3}|[一二三四五六七八九十]{1,3})\s*(?<u>日|週間|週|か月|ヶ月|ケ月|カ月|ヵ月|箇月)\s*(?<dir>後|前)", RegexOptions.CultureInvariant)]
    private static partial Regex JapaneseOffset();

    [GeneratedRegex(@"\bin\s+(?<n>" + EnCount + @")\s+(?<u>day|week|month)s?\b|\b(?<n>" + EnCount + @")\s+(?<u>day|week|month)s?\s+(?:from\s+(?:now|today)|later|(?<ago>ago))\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex EnglishOffset();

    [GeneratedRegex(@"(?:(?<week>今週|来週|再来週)\s*の?\s*|(?<mod>次の|今度の|この)\s*)?(?<wd>" + JaWeekday + @")曜日?", RegexOptions.CultureInvariant)]
    private static partial Regex JapaneseWeekday();

    [GeneratedRegex(@"\b(?:(?<mod>this\s+coming|coming|this|next)\s+|(?<nextweek>next\s+week(?:'s)?\s+(?:on\s+)?))?(?<wd>" + EnWeekdayFull + @")\b(?<nextweek>\s+(?:of\s+)?next\s+week\b)?", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex EnglishWeekday();

    public static readonly TextRule<DateOnly>[] All =
    [
        new(EraDate(), static (m, _) => Agree(Calendar.Era(m.Groups["era"].Value.ToUpperInvariant(), m.Groups["ey"].Value == "元" ? 1 : Int(m, "ey"), Int(m, "m"), Int(m, "d")), m)),
        new(NumericYearDate(), static (m, _) => Agree(Calendar.Make(Int(m, "y"), Int(m, "m"), Int(m, "d")), m)),
        new(KanjiYearDate(), static (m, _) => Agree(Calendar.Make(Int(m, "y"), Int(m, "m"), Int(m, "d")), m)),
        new(KanjiDate(), static (m, today) => Agree(m.Groups["rel"].Success
            ? Calendar.Make(today.Year + YearsAhead(m.Groups["rel"].Value), Int(m, "m"), Int(m, "d"))
            : Calendar.NextOccurrence(today, Int(m, "m"), Int(m, "d")), m)),
        new(DayOfRelativeMonth(), static (m, today) =>
        {
            var month = new DateOnly(today.Year, today.Month, 1).AddMonths(m.Groups["rel"].Value switch { "来月" => 1, "再来月" => 2, _ => 0 });
            return Agree(Calendar.Make(month.Year, month.Month, Int(m, "d")), m);
        }),
        new(SlashDate(), static (m, today) => Agree(m.Groups["y"].Success
            ? Calendar.Make(Int(m, "y"), Int(m, "m"), Int(m, "d"))
            : Calendar.NextOccurrence(today, Int(m, "m"), Int(m, "d")), m)),
        new(KanjiDay(), static (m, today) => Agree(Calendar.NextDayOfMonth(today, Int(m, "d")), m)),
        new(OrdinalDay(), static (m, today) =>
        {
            if (!m.Groups["next"].Success) return Agree(Calendar.NextDayOfMonth(today, Int(m, "d")), m);
            var month = new DateOnly(today.Year, today.Month, 1).AddMonths(m.Groups["next"].Value.Equals("next", StringComparison.OrdinalIgnoreCase) ? 1 : 0);
            return Agree(Calendar.Make(month.Year, month.Month, Int(m, "d")), m);
        }),
        new(MonthDay(), static (m, today) => Agree(NamedMonth(m, today), m)),
        new(DayMonth(), static (m, today) => Agree(NamedMonth(m, today), m)),
        new(JapaneseRelative(), static (m, today) => today.AddDays(m.Value switch
        {
            "明々後日" or "明明後日" or "しあさって" => 3,
            "明後日" or "あさって" => 2,
            "明日" or "あした" or "あす" => 1,
            "昨日" or "きのう" => -1,
            "一昨日" or "おととい" or "おとつい" => -2,
            _ => 0,
        })),
        new(EnglishRelative(), static (m, today) =>
        {
            var words = m.Value.ToLowerInvariant();
            return today.AddDays(words.Contains("after", StringComparison.Ordinal) ? 2 : words.Contains("before", StringComparison.Ordinal) ? -2
                : words.StartsWith("tom", StringComparison.Ordinal) || words.StartsWith("tmr", StringComparison.Ordinal) ? 1 : words == "yesterday" ? -1 : 0);
        }),
        new(JapaneseOffset(), static (m, today) => Offset(today, Calendar.Count(m.Groups["n"].Value), m.Groups["u"].Value switch
        {
            "日" => 'd',
            "週" or "週間" => 'w',
            _ => 'm',
        }, m.Groups["dir"].Value == "前")),
        new(EnglishOffset(), static (m, today) => Offset(today, Calendar.Count(m.Groups["n"].Value), char.ToLowerInvariant(m.Groups["u"].Value[0]), m.Groups["ago"].Success)),
        new(JapaneseWeekday(), static (m, today) =>
        {
            var day = Calendar.Weekday(m.Groups["wd"].Value)!.Value;
            if (m.Groups["week"].Success) return Calendar.InWeek(today, day, m.Groups["week"].Value switch { "来週" => 1, "再来週" => 2, _ => 0 });
            return Calendar.Upcoming(today, day, includeToday: m.Groups["mod"].Value == "この");
        }),
        new(EnglishWeekday(), static (m, today) =>
        {
            var day = Calendar.Weekday(m.Groups["wd"].Value)!.Value;
            if (m.Groups["nextweek"].Success) return Calendar.InWeek(today, day, 1);
            return Calendar.Upcoming(today, day, includeToday: m.Groups["mod"].Value.Equals("this", StringComparison.OrdinalIgnoreCase));
        }),
    ];

    static int Int(Match m, string group) => int.Parse(m.Groups[group].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture);

    static int YearsAhead(string word) => word switch { "来年" => 1, "再来年" => 2, _ => 0 };

    static DateOnly? NamedMonth(Match m, DateOnly today)
    {
        if (Calendar.Month(m.Groups["mon"].Value) is not { } month) return null;
        return m.Groups["y"].Success ? Calendar.Make(Int(m, "y"), month, Int(m, "d")) : Calendar.NextOccurrence(today, month, Int(m, "d"));
    }

    static DateOnly? Offset(DateOnly today, int? count, char unit, bool back)
    {
        if (count is not ({ } n and > 0 and <= 366)) return null;
        var signed = back ? -n : n;
        return unit switch
        {
            'd' => today.AddDays(signed),
            'w' => today.AddDays(7 * signed),
            _ => today.AddMonths(signed),
        };
    }

    /// <summary>The date, unless a weekday written beside it names another day.</summary>
    static DateOnly? Agree(DateOnly? date, Match m)
    {
        if (date is not { } d) return null;
        var written = m.Groups["wd"];
        if (!written.Success) return d;
        return Calendar.Weekday(written.Value) == d.DayOfWeek ? d : null;
    }
}
