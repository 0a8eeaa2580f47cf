namespace ScenarioKit.Engine.Extraction;

/// <summary>Date arithmetic and the words the date and time rules share.</summary>
internal static class Calendar
{
    /// <summary>The date for a month and day written without a year: this year's, or the first later year where it is not in the past (29 Feb: the next leap year).</summary>
    public static DateOnly? NextOccurrence(DateOnly today, int month, int day)
    {
        if (month is < 1 or > 12 || day is < 1 or > 31) return null;
        for (var year = today.Year; year <= today.Year + 8; year++)
            if (Make(year, month, day) is { } date && date >= today) return date;
        return null;
    }

    /// <summary>The date for a day of the month written alone (5日, the 9th): this month's if not past, else the next month that has that day.</summary>
    public static DateOnly? NextDayOfMonth(DateOnly today, int day)
    {
        if (day is < 1 or > 31) return null;
        var first = new DateOnly(today.Year, today.Month, 1);
        for (var i = 0; i < 12; i++)
        {
            var month = first.AddMonths(i);
            if (Make(month.Year, month.Month, day) is { } date && date >= today) return date;
        }
        return null;
    }

    public static DateOnly? Make(int year, int month, int day) =>
        year is >= 1 and <= 9999 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month) ? new DateOnly(year, month, day) : null;

    /// <summary>The first <paramref name="day"/> after <paramref name="today"/> (or on it, when <paramref name="includeToday"/>).</summary>
    public static DateOnly Upcoming(DateOnly today, DayOfWeek day, bool includeToday)
    {
        var ahead = ((int)day - (int)today.DayOfWeek + 7) % 7;
        if (ahead == 0 && !includeToday) ahead = 7;
        return today.AddDays(ahead);
    }

    /// <summary>The <paramref name="day"/> of the Monday-first week <paramref name="weeksAhead"/> weeks from today's (0: this week, possibly past).</summary>
    public static DateOnly InWeek(DateOnly today, DayOfWeek day, int weeksAhead)
    {
        var monday = today.AddDays(-(((int)today.DayOfWeek + 6) % 7));
        return monday.AddDays((((int)day + 6) % 7) + (7 * weeksAhead));
    }

    /// <summary>月火水木金土日 (one kanji) or an English name or abbreviation, any case.</summary>
    public static DayOfWeek? Weekday(string text) => text.ToLowerInvariant() switch
    {
        "月" or "monday" or "mon" => DayOfWeek.Monday,
        "火" or "tuesday" or "tue" or "tues" => DayOfWeek.Tuesday,
        "水" or "wednesday" or "wed" => DayOfWeek.Wednesday,
        "木" or "thursday" or "thu" or "thur" or "thurs" => DayOfWeek.Thursday,
        "金" or "friday" or "fri" => DayOfWeek.Friday,
        "土" or "saturday" or "sat" => DayOfWeek.Saturday,
        "日" or "sunday" or "sun" => DayOfWeek.Sunday,
        _ => null,
    };

    public static int? Month(string text) => text.ToLowerInvariant()[..3] switch
    {
        "jan" => 1, "feb" => 2, "mar" => 3, "apr" => 4, "may" => 5, "jun" => 6,
        "jul" => 7, "aug" => 8, "sep" => 9, "oct" => 10, "nov" => 11, "dec" => 12,
        _ => null,
    };

    static readonly string[] EnglishNumbers = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"];

    /// <summary>A small count: ASCII digits, 一..九十九 in kanji, or an English word (a/an = 1).</summary>
    public static int? Count(string text)
    {
        if (text.Length == 0) return null;
        if (char.IsAsciiDigit(text[0])) return int.TryParse(text, out var n) ? n : null;
        var lower = text.ToLowerInvariant();
        if (lower is "a" or "an") return 1;
        var word = Array.IndexOf(EnglishNumbers, lower);
        if (word >= 0) return word;
        return Kanji(text);
    }

    const string KanjiDigits = "〇一二三四五六七八九";

    /// <summary>一 .. 九十九 (十, 十五, 二十, 二十三).</summary>
    static int? Kanji(string text)
    {
        var ten = text.IndexOf('十', StringComparison.Ordinal);
        if (ten < 0) return text.Length == 1 && KanjiDigits.IndexOf(text[0], StringComparison.Ordinal) is var d and > 0 ? d : null;
        var tens = ten == 0 ? 1 : ten == 1 ? KanjiDigits.IndexOf(text[0], StringComparison.Ordinal) : -1;
        var ones = ten == text.Length - 1 ? 0 : ten == text.Length - 2 ? KanjiDigits.IndexOf(text[^1], StringComparison.Ordinal) : -1;
        return tens > 0 && ones >= 0 ? (tens * 10) + ones : null;
    }

    /// <summary>
    /// A Japanese era year as a Gregorian year, only where the date lies inside the era
    /// (平成31年4月30日 yes, 平成31年5月1日 no: that day is 令和元年).
    /// </summary>
    public static DateOnly? Era(string era, int eraYear, int month, int day)
    {
        var (firstYear, from, to) = era switch
        {
            "令和" or "R" => (2019, new DateOnly(2019, 5, 1), DateOnly.MaxValue),
            "平成" or "H" => (1989, new DateOnly(1989, 1, 8), new DateOnly(2019, 4, 30)),
            "昭和" or "S" => (1926, new DateOnly(1926, 12, 25), new DateOnly(1989, 1, 7)),
            _ => (0, DateOnly.MaxValue, DateOnly.MinValue),
        };
        if (eraYear < 1 || Make(firstYear + eraYear - 1, month, day) is not { } date) return null;
        return date >= from && date <= to ? date : null;
    }
}
