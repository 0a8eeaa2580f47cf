namespace ScenarioKit.Engine.Extraction;

/// <summary>
/// Dates and times in Japanese and English customer text (docs/language.md "Dates and times").
/// Pure: "today" comes from the caller, in the scenario's time zone.
/// </summary>
internal static class DateTimeText
{
    /// <summary>Every date mentioned in <paramref name="text"/> (already NFKC-normalised), in order of appearance.</summary>
    /// <param name="today">The current date in the scenario's time zone; a date without a year is the next one not in the past.</param>
    public static IReadOnlyList<Found<DateOnly>> FindDates(string text, DateOnly today) => TextRule<DateOnly>.FindAll(DateRules.All, text, today);

    /// <summary>Every time of day mentioned in text (15時半, 午後3時, 3:30pm, 15:30, 正午 ...), in order.</summary>
    public static IReadOnlyList<Found<TimeOnly>> FindTimes(string text) => TextRule<TimeOnly>.FindAll(TimeRules.All, text, default);

    /// <summary>The one date the text names: null when it names none, or several different ones (which one would be a guess).</summary>
    public static DateOnly? SingleDate(string text, DateOnly today) => Single(FindDates(text, today));

    /// <summary>The one time of day the text names; null for none or several different ones.</summary>
    public static TimeOnly? SingleTime(string text) => Single(FindTimes(text));

    static T? Single<T>(IReadOnlyList<Found<T>> found) where T : struct, IEquatable<T>
    {
        if (found.Count == 0) return null;
        var first = found[0].Value;
        for (var i = 1; i < found.Count; i++)
            if (!found[i].Value.Equals(first)) return null;
        return first;
    }
}
