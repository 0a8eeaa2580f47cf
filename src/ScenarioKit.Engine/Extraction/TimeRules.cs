using System.Globalization;
using System.Text.RegularExpressions;

namespace ScenarioKit.Engine.Extraction;

/// <summary>
/// The ways a time of day is written (docs/language.md "Dates and times"). A part of the day in front
/// of an hour (午後3時, 夕方5時, 朝9時, 夜8時) says which half of the day it is; alone (夕方, 朝) it names
/// no time. 午前12時 and 午後12時 are read both ways in Japan, so they are no time (the ask retries).
/// </summary>
internal static partial class TimeRules
{
    const string AmPm = @"(?<ap>a\.?m\.?|p\.?m\.?)(?![a-z])";

    [GeneratedRegex(@"(?:(?<pre>午前|午後|朝|昼|夕方|夜中|深夜|夜|am|pm)\s*の?\s*)?(?<!\d)(?<h>\d{1,2})\s*時(?!\s*間)(?:\s*(?<min>\d{1,2})\s*分|\s*(?<half>半))?", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex KanjiTime();

    [GeneratedRegex(@"(?:(?<pre>午前|午後|朝|昼|夕方|夜中|深夜|夜)\s*)?(?<![\d:.])(?<h>\d{1,2}):(?<min>\d{2})(?::\d{2})?(?![\d:])(?:\s*" + AmPm + ")?", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ClockTime();

    [GeneratedRegex(@"(?<![\d:.])(?<h>\d{1,2})\s*" + AmPm, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex HourAmPm();

    [GeneratedRegex(@"正午|お昼の12時|\b(?:12\s*)?(?:noon|midday)\b|(?<midnight>\bmidnight\b)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NamedTime();

    public static readonly TextRule<TimeOnly>[] All =
    [
        new(KanjiTime(), static (m, _) => At(m.Groups["pre"].Value, Int(m, "h"), m.Groups["half"].Success ? 30 : m.Groups["min"].Success ? Int(m, "min") : 0, kanji: true)),
        new(ClockTime(), static (m, _) => At(m.Groups["ap"].Success ? m.Groups["ap"].Value : m.Groups["pre"].Value, Int(m, "h"), Int(m, "min"), kanji: false)),
        new(HourAmPm(), static (m, _) => At(m.Groups["ap"].Value, Int(m, "h"), 0, kanji: false)),
        new(NamedTime(), static (m, _) => m.Groups["midnight"].Success ? TimeOnly.MinValue : new TimeOnly(12, 0)),
    ];

    static int Int(Match m, string group) => int.Parse(m.Groups[group].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture);

    /// <summary>The 24-hour time for an hour said with a part of the day, or null where the pair makes no sense (朝8時 yes, 朝20時 no).</summary>
    static TimeOnly? At(string part, int hour, int minute, bool kanji)
    {
        if (minute is < 0 or > 59) return null;
        int? h = part.Replace(".", "", StringComparison.Ordinal).ToLowerInvariant() switch
        {
            "" => hour <= 23 ? hour : null,
            "午前" => hour <= 11 ? hour : null,
            "am" => hour == 12 && !kanji ? 0 : hour <= 11 ? hour : null,
            "午後" => hour == 0 ? 12 : hour <= 11 ? hour + 12 : hour is >= 13 and <= 23 ? hour : null,
            "pm" => hour == 12 && !kanji ? 12 : hour <= 11 ? hour + 12 : hour is >= 13 and <= 23 ? hour : null,
            "朝" => hour is >= 4 and <= 11 ? hour : null,
            "昼" => hour is 11 or 12 or (>= 13 and <= 16) ? hour : hour is >= 1 and <= 4 ? hour + 12 : null,
            "夕方" => hour is >= 3 and <= 8 ? hour + 12 : hour is >= 15 and <= 20 ? hour : null,
            "夜" => hour is >= 6 and <= 11 ? hour + 12 : hour is >= 18 and <= 23 ? hour : hour == 12 ? 0 : null,
            "夜中" or "深夜" => hour is >= 0 and <= 4 ? hour : hour == 12 ? 0 : hour is 22 or 23 ? hour : null,
            _ => null,
        };
        return h is { } v ? new TimeOnly(v, minute) : null;
    }
}
