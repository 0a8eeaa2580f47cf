using ScenarioKit.Model;

namespace ScenarioKit.Engine.Handoff;

/// <summary>
/// A queue's opening hours, resolved once per package: the IANA time zone is looked up at load,
/// and "now" is converted into that zone's local time per check, so DST transitions are handled by
/// <see cref="TimeZoneInfo"/> (a window is in local wall-clock time on both sides of a change).
/// </summary>
internal sealed class QueueHours
{
    readonly TimeZoneInfo _zone;
    readonly OpeningWindow[] _windows;
    readonly ClosedDates[] _closed;

    QueueHours(QueueDef def, TimeZoneInfo zone)
    {
        Def = def;
        _zone = zone;
        _windows = [.. def.Windows];
        _closed = def.Closed.IsDefault ? [] : [.. def.Closed];
    }

    public QueueDef Def { get; }

    public static QueueHours Create(QueueDef def, List<RuntimeError> errors)
    {
        // TryFind: Find throws a SecurityException for a folder of the zone database ("Europe").
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(string.IsNullOrEmpty(def.TimeZone) ? "UTC" : def.TimeZone, out var zone))
        {
            errors.Add(new RuntimeError($"queue '{def.Name}': unknown time zone '{def.TimeZone}'", def.Span));
            zone = TimeZoneInfo.Utc;
        }
        return new QueueHours(def, zone);
    }

    /// <summary>
    /// No windows means always open, except on <c>closed</c> days (whole local days: a night window
    /// that runs into a closed day closes at midnight). A window whose close is not after its open
    /// runs past midnight into the next day.
    /// </summary>
    public bool IsOpen(DateTimeOffset now)
    {
        if (_windows.Length == 0 && _closed.Length == 0) return true;
        var local = TimeZoneInfo.ConvertTime(now, _zone);
        var date = DateOnly.FromDateTime(local.DateTime);
        foreach (var closed in _closed)
            if (closed.Contains(date)) return false;
        if (_windows.Length == 0) return true;
        var day = local.DayOfWeek;
        var time = local.TimeOfDay;
        var yesterday = (DayOfWeek)(((int)day + 6) % 7);
        foreach (var w in _windows)
        {
            if (w.Close > w.Open)
            {
                if (w.Day == day && time >= w.Open && time < w.Close) return true;
            }
            else
            {
                if (w.Day == day && time >= w.Open) return true;
                if (w.Day == yesterday && time < w.Close) return true;
            }
        }
        return false;
    }
}
