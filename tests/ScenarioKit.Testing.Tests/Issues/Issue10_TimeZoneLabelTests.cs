using ScenarioKit.Model;
using ScenarioKit.Testing.Running;
using ScenarioKit.Testing.Tests.Support;

namespace ScenarioKit.Testing.Tests.Issues;

/// <summary>
/// Issue 10 item 6: a failure printed "withinHours: false at 2026-12-05T19:00:00Z" for 19:00 in Tokyo:
/// the local time with a 'Z'. Instants print with their real offset, and in the queue's own zone.
/// </summary>
public sealed class Issue10_TimeZoneLabelTests
{
    [Fact]
    public async Task An_out_of_hours_failure_shows_the_time_in_the_queues_zone_with_its_offset_and_hours()
    {
        var report = await ScenarioTestRunner.RunAsync([Paths.Fixture("Failing", "failing.yaml")], [], new TestRunOptions { Filter = "queue was closed" },
            TestContext.Current.CancellationToken);
        var failure = Assert.Single(report.Suites.SelectMany(s => s.Tests)).Failure!;
        // clock: "2026-01-05T20:00:00+09:00"; queue support: Mon-Fri 09:00-18:00 in Asia/Tokyo.
        Assert.Equal("withinHours: false at 2026-01-05T20:00:00+09:00 (Mon, Asia/Tokyo); queue 'support' hours: Mon-Fri 09:00-18:00", failure.Actual);
    }

    [Theory]
    [InlineData("2026-12-05T19:00:00+09:00", null, "2026-12-05T19:00:00+09:00")]
    [InlineData("2026-12-05T10:00:00+00:00", null, "2026-12-05T10:00:00Z")]
    [InlineData("2026-12-05T10:00:00+00:00", "Asia/Tokyo", "2026-12-05T19:00:00+09:00 (Sat, Asia/Tokyo)")]
    [InlineData("2026-07-01T12:00:00+09:00", "Europe/London", "2026-07-01T04:00:00+01:00 (Wed, Europe/London)")]
    [InlineData("2026-12-05T19:00:00+09:00", "Mars/Olympus", "2026-12-05T19:00:00+09:00 (unknown time zone Mars/Olympus)")]
    public void Instants_print_with_their_real_offset(string instant, string? zone, string expected) =>
        Assert.Equal(expected, InstantText.InZone(DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture), zone));
}
