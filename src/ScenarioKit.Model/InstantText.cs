using System.Globalization;

namespace ScenarioKit.Model;

/// <summary>
/// The one way instants are printed (test failures, chat): ISO 8601 to the second with the instant's real
/// offset. Never a literal 'Z' after a local time (issue 10: 19:00 in Tokyo was printed as 19:00Z).
/// </summary>
public static class InstantText
{
    /// <summary><c>2026-12-05T19:00:00+09:00</c>; <c>Z</c> only when the offset really is zero.</summary>
    public static string Format(DateTimeOffset instant) =>
        instant.ToString(instant.Offset == TimeSpan.Zero ? "yyyy-MM-dd'T'HH:mm:ss'Z'" : "yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    /// <summary>
    /// The instant as wall-clock time in an IANA zone, with that zone's offset at the instant, the weekday
    /// and the zone: <c>2026-12-05T19:00:00+09:00 (Sat, Asia/Tokyo)</c>. Opening hours are read in that zone,
    /// so this is the time to compare them with. An unknown zone prints the instant as given.
    /// </summary>
    public static string InZone(DateTimeOffset instant, string? timeZone)
    {
        if (string.IsNullOrEmpty(timeZone)) return Format(instant);
        // TryFind, not Find: a name such as "Europe" is a folder of the zone database, and Find throws a
        // SecurityException for it rather than TimeZoneNotFoundException.
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out var zone))
            return $"{Format(instant)} (unknown time zone {timeZone})";
        var local = TimeZoneInfo.ConvertTime(instant, zone);
        return $"{Format(local)} ({local.ToString("ddd", CultureInfo.InvariantCulture)}, {timeZone})";
    }
}
