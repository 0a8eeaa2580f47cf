using ScenarioKit.Engine.Handoff;
using ScenarioKit.Engine.Tests.Support;
using ScenarioKit.Model;
using static ScenarioKit.Engine.Tests.Support.B;

namespace ScenarioKit.Engine.Tests.Handoff;

public sealed class QueueHoursTests
{
    static QueueHours Hours(string zone, params OpeningWindow[] windows)
    {
        var errors = new List<RuntimeError>();
        var hours = QueueHours.Create(Queue("q", zone, windows), errors);
        Assert.Empty(errors);
        return hours;
    }

    [Theory]
    [InlineData("2026-11-24T00:00:00Z", true)]   // Tue 09:00 Tokyo
    [InlineData("2026-11-23T23:59:59Z", false)]  // Tue 08:59:59 Tokyo
    [InlineData("2026-11-24T08:59:59Z", true)]   // Tue 17:59:59 Tokyo
    [InlineData("2026-11-24T09:00:00Z", false)]  // Tue 18:00 Tokyo: closing time is exclusive
    [InlineData("2026-11-28T03:00:00Z", false)]  // Sat 12:00 Tokyo
    [InlineData("2026-11-23T01:00:00Z", true)]   // Mon 10:00 Tokyo, still Sunday in UTC until 15:00 the day before
    public void Tokyo_weekdays_nine_to_six(string utc, bool open) =>
        Assert.Equal(open, Hours("Asia/Tokyo", Days(DayOfWeek.Monday, DayOfWeek.Friday, 9, 18)).IsOpen(DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture)));

    [Theory]
    // US spring-forward 2026-03-08: 02:00 EST → 03:00 EDT. 09:00 local is 14:00Z before, 13:00Z after.
    [InlineData("2026-03-06T13:30:00Z", false)]  // Fri 08:30 EST
    [InlineData("2026-03-06T14:00:00Z", true)]   // Fri 09:00 EST
    [InlineData("2026-03-09T13:00:00Z", true)]   // Mon 09:00 EDT
    [InlineData("2026-03-09T12:59:00Z", false)]  // Mon 08:59 EDT
    [InlineData("2026-03-09T21:59:00Z", true)]   // Mon 17:59 EDT
    [InlineData("2026-03-09T22:00:00Z", false)]  // Mon 18:00 EDT
    // Fall-back 2026-11-01: EDT → EST; Monday 09:00 EST is 14:00Z.
    [InlineData("2026-11-02T13:30:00Z", false)]
    [InlineData("2026-11-02T14:00:00Z", true)]
    public void New_York_across_daylight_saving_changes(string utc, bool open) =>
        Assert.Equal(open, Hours("America/New_York", Days(DayOfWeek.Monday, DayOfWeek.Friday, 9, 18)).IsOpen(DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void Sunday_night_spring_forward_window_is_in_wall_clock_time()
    {
        // Open Sunday 01:00-04:00 New York on the night the clocks jump: 01:00 EST = 06:00Z, 04:00 EDT = 08:00Z.
        var hours = Hours("America/New_York", new OpeningWindow(DayOfWeek.Sunday, TimeSpan.FromHours(1), TimeSpan.FromHours(4)));
        Assert.False(hours.IsOpen(DateTimeOffset.Parse("2026-03-08T05:59:00Z", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.True(hours.IsOpen(DateTimeOffset.Parse("2026-03-08T06:00:00Z", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.True(hours.IsOpen(DateTimeOffset.Parse("2026-03-08T07:59:00Z", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.False(hours.IsOpen(DateTimeOffset.Parse("2026-03-08T08:00:00Z", System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Closing_at_24_00_includes_the_last_minute_of_the_day()
    {
        var hours = Hours("Europe/London", new OpeningWindow(DayOfWeek.Saturday, TimeSpan.FromHours(20), TimeSpan.FromHours(24)));
        Assert.True(hours.IsOpen(DateTimeOffset.Parse("2026-11-28T23:59:59Z", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.False(hours.IsOpen(DateTimeOffset.Parse("2026-11-29T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Window_past_midnight_continues_into_the_next_day()
    {
        var hours = Hours("UTC", new OpeningWindow(DayOfWeek.Friday, TimeSpan.FromHours(22), TimeSpan.FromHours(2)));
        Assert.True(hours.IsOpen(DateTimeOffset.Parse("2026-11-27T23:00:00Z", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.True(hours.IsOpen(DateTimeOffset.Parse("2026-11-28T01:59:00Z", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.False(hours.IsOpen(DateTimeOffset.Parse("2026-11-28T02:00:00Z", System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void No_windows_is_always_open() => Assert.True(Hours("UTC").IsOpen(DateTimeOffset.UnixEpoch));

    [Fact]
    public void Unknown_time_zone_is_a_load_error_with_the_queue_span()
    {
        var model = Scenario() with { Handoff = HandoffDef.Empty with { Queues = [Queue("q", "Mars/Olympus_Mons")] } };
        var e = Assert.Throws<ScenarioLoadException>(() => Load(model));
        Assert.Equal(model.Handoff.Queues[0].Span, Assert.Single(e.Errors).Span);
    }
}
