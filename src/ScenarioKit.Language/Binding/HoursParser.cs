using System.Collections.Immutable;
using System.Globalization;
using ScenarioKit.Language.Diagnostics;
using ScenarioKit.Model;

namespace ScenarioKit.Language.Binding;

/// <summary>
/// Queue opening hours (docs/language.md "Handoff"): "24/7", or ';'-separated groups "Days HH:MM-HH:MM"
/// where Days is a day, a range (Mon-Fri, wrapping allowed: Fri-Mon) or a ','-list of those. 24:00 may close.
/// Windows come out ordered Monday first, then by opening time.
/// </summary>
internal static class HoursParser
{
    static readonly string[] DayNames = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

    public static bool TryParse(string text, out ImmutableArray<OpeningWindow> windows, out Localized? error)
    {
        windows = [];
        error = null;
        var trimmed = text.Trim();
        if (trimmed == "24/7")
        {
            windows = [.. Enumerable.Range(0, 7).Select(i => new OpeningWindow(ToDayOfWeek(i), TimeSpan.Zero, TimeSpan.FromHours(24)))];
            return true;
        }
        var result = new List<(int Day, OpeningWindow Window)>();
        foreach (var rawGroup in trimmed.Split(';'))
        {
            var group = rawGroup.Trim();
            if (group.Length == 0)
            {
                error = new("an empty group between ';'", "';' の間が空です");
                return false;
            }
            var parts = group.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 2)
            {
                error = new($"'{group}' should be 'Days HH:MM-HH:MM'", $"'{group}' は 'Days HH:MM-HH:MM' の形で書きます");
                return false;
            }
            if (!TryParseDays(parts[0], out var days, out error)) return false;
            var times = parts[1].Split('-');
            if (times.Length != 2 || !TryParseTime(times[0], out var open) || !TryParseTime(times[1], out var close) || open == TimeSpan.FromHours(24))
            {
                error = new($"'{parts[1]}' should be a time range like 09:00-18:00", $"'{parts[1]}' は 09:00-18:00 のような時間帯で書きます");
                return false;
            }
            if (close <= open)
            {
                error = new($"'{parts[1]}' closes before it opens; split a night shift into two groups (e.g. 'Mon 22:00-24:00; Tue 00:00-06:00')",
                    $"'{parts[1]}' は開始より前に終わります。夜間は 2 つに分けてください（例: 'Mon 22:00-24:00; Tue 00:00-06:00'）");
                return false;
            }
            foreach (var day in days) result.Add((day, new OpeningWindow(ToDayOfWeek(day), open, close)));
        }
        windows = [.. result.OrderBy(r => r.Day).ThenBy(r => r.Window.Open).Select(r => r.Window)];
        return true;
    }

    static DayOfWeek ToDayOfWeek(int mondayFirst) => (DayOfWeek)((mondayFirst + 1) % 7);

    static bool TryParseDays(string text, out List<int> days, out Localized? error)
    {
        days = [];
        error = null;
        foreach (var item in text.Split(','))
        {
            var range = item.Split('-');
            if (range.Length is < 1 or > 2 || range.Any(r => Array.IndexOf(DayNames, r) < 0))
            {
                var bad = range.FirstOrDefault(r => Array.IndexOf(DayNames, r) < 0) ?? item;
                var suggestion = Suggest.Closest(bad, DayNames);
                error = new($"unknown day '{bad}' (use Mon, Tue, Wed, Thu, Fri, Sat, Sun){(suggestion is null ? "" : $"; did you mean '{suggestion}'?")}",
                    $"曜日 '{bad}' が不明です（Mon、Tue、Wed、Thu、Fri、Sat、Sun を使います）{(suggestion is null ? "" : $"。'{suggestion}' のことですか？")}");
                return false;
            }
            var from = Array.IndexOf(DayNames, range[0]);
            var to = Array.IndexOf(DayNames, range[^1]);
            for (var d = from; ; d = (d + 1) % 7)
            {
                if (!days.Contains(d)) days.Add(d);
                if (d == to) break;
            }
        }
        return true;
    }

    static bool TryParseTime(string text, out TimeSpan time)
    {
        time = default;
        if (text.Length != 5 || text[2] != ':') return false;
        if (!int.TryParse(text.AsSpan(0, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var h)
            || !int.TryParse(text.AsSpan(3, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var m)) return false;
        if (h == 24 && m == 0)
        {
            time = TimeSpan.FromHours(24);
            return true;
        }
        if (h > 23 || m > 59) return false;
        time = new TimeSpan(h, m, 0);
        return true;
    }
}

/// <summary>IANA time zone names, checked against the system database (ICU/tzdata) once per name.</summary>
internal static class TimeZones
{
    static readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> Known = new(StringComparer.Ordinal);

    public static bool Exists(string id) => Known.GetOrAdd(id, static name =>
    {
        // TryFind, not Find: a folder of the zone database ("Europe") makes Find throw a SecurityException.
        return name.Length > 0 && TimeZoneInfo.TryFindSystemTimeZoneById(name, out _)
            && (name.Contains('/', StringComparison.Ordinal) || name is "UTC" or "Etc/UTC" or "GMT");
    });

    public static string? Suggest(string id)
    {
        IEnumerable<string> ids;
        try
        {
            ids = TimeZoneInfo.GetSystemTimeZones().Select(z => z.Id);
        }
        catch (Exception e) when (e is InvalidTimeZoneException or System.Security.SecurityException)
        {
            return null;
        }
        return Diagnostics.Suggest.Closest(id, ids);
    }
}
