using System.Globalization;
using ScenarioKit.Engine.Handoff;
using ScenarioKit.Engine.Tests.Support;
using ScenarioKit.Model;
using static ScenarioKit.Engine.Tests.Support.B;

namespace ScenarioKit.Engine.Tests.Handoff;

/// <summary>Issue 11: closed days (年末年始, holidays) and per-queue out-of-hours answers.</summary>
public sealed class QueueCalendarTests
{
    static readonly ClosedDates NewYear = new(new DateOnly(2000, 12, 29), new DateOnly(2000, 1, 3), EveryYear: true);
    static readonly ClosedDates GoldenWeek = new(new DateOnly(2026, 5, 3), new DateOnly(2026, 5, 6), EveryYear: false);

    static QueueHours Hours(params ClosedDates[] closed)
    {
        var errors = new List<RuntimeError>();
        var hours = QueueHours.Create(Queue("q", "Asia/Tokyo", Days(DayOfWeek.Sunday, DayOfWeek.Saturday, 9, 18)) with { Closed = [.. closed] }, errors);
        Assert.Empty(errors);
        return hours;
    }

    [Theory]
    [InlineData("2026-12-28T10:00:00+09:00", true)]   // Mon before the break
    [InlineData("2026-12-29T10:00:00+09:00", false)]  // first closed day
    [InlineData("2026-12-31T10:00:00+09:00", false)]
    [InlineData("2027-01-01T10:00:00+09:00", false)]  // across the year end
    [InlineData("2027-01-03T17:59:00+09:00", false)]  // last closed day
    [InlineData("2027-01-04T09:00:00+09:00", true)]
    [InlineData("2026-12-28T03:00:00Z", true)]        // 12:00 on the 28th in Tokyo
    [InlineData("2027-01-03T08:00:00Z", false)]       // 17:00 on the 3rd in Tokyo
    [InlineData("2027-01-04T00:00:00Z", true)]        // 09:00 on the 4th in Tokyo
    public void A_yearly_range_wraps_over_the_year_end(string at, bool open) =>
        Assert.Equal(open, Hours(NewYear).IsOpen(DateTimeOffset.Parse(at, CultureInfo.InvariantCulture)));

    [Fact]
    public void The_closed_day_is_the_queue_local_date()
    {
        // 1 Jan 2027 is a holiday in Tokyo from 31 Dec 15:00 UTC; a 24/7 queue is closed then, open just before.
        var errors = new List<RuntimeError>();
        var allDay = QueueHours.Create(Queue("q", "Asia/Tokyo") with { Closed = [new ClosedDates(new DateOnly(2000, 1, 1), new DateOnly(2000, 1, 1), true)] }, errors);
        Assert.True(allDay.IsOpen(new DateTimeOffset(2026, 12, 31, 14, 59, 0, TimeSpan.Zero)));
        Assert.False(allDay.IsOpen(new DateTimeOffset(2026, 12, 31, 15, 0, 0, TimeSpan.Zero)));
        Assert.True(allDay.IsOpen(new DateTimeOffset(2027, 1, 1, 15, 0, 0, TimeSpan.Zero)));
    }

    [Theory]
    [InlineData("2026-05-02T10:00:00+09:00", true)]
    [InlineData("2026-05-03T10:00:00+09:00", false)]
    [InlineData("2026-05-06T10:00:00+09:00", false)]
    [InlineData("2026-05-07T10:00:00+09:00", true)]
    [InlineData("2027-05-04T10:00:00+09:00", true)]   // a dated range does not repeat
    public void A_dated_range_closes_those_days_only(string at, bool open) =>
        Assert.Equal(open, Hours(GoldenWeek).IsOpen(DateTimeOffset.Parse(at, CultureInfo.InvariantCulture)));

    [Fact]
    public void A_queue_out_of_hours_answer_overrides_the_global_one()
    {
        var model = Scenario("ja-JP") with
        {
            Intents = [Intent("sales", patterns: ["^sales$"]), Intent("support", patterns: ["^support$"])],
            Flows =
            [
                Flow("sales", "sales", B.Handoff("sales/0", "sales")),
                Flow("support", "support", B.Handoff("support/0", "support")),
            ],
            Handoff = HandoffDef.Empty with
            {
                Queues =
                [
                    Queue("sales", "Asia/Tokyo", Days(DayOfWeek.Monday, DayOfWeek.Friday, 9, 18)) with
                    {
                        Closed = [NewYear],
                        OutOfHours = new OutOfHours(M("年末年始は1月4日から営業します"), ["callback"], Span()),
                    },
                    Queue("support", "Asia/Tokyo", Days(DayOfWeek.Monday, DayOfWeek.Friday, 9, 18)),
                ],
                OutOfHours = new OutOfHours(M("営業時間外です"), ["email"], Span()),
            },
        };
        var runtime = Load(model);
        var holiday = new DateTimeOffset(2026, 12, 30, 10, 0, 0, TimeSpan.FromHours(9));
        var sales = new Chat(runtime, start: holiday);
        var result = sales.User("sales");
        Assert.Equal(["年末年始は1月4日から営業します"], Chat.Texts(result).Where(t => t != "<handoff>"));
        Assert.Equal(["callback"], result.Handoff!.Offer);
        Assert.True(runtime.IsQueueOpen("support", holiday)); // no calendar: an ordinary Wednesday
        var support = new Chat(runtime, start: holiday.AddHours(10));
        result = support.User("support");
        Assert.Equal(["営業時間外です"], Chat.Texts(result).Where(t => t != "<handoff>"));
        Assert.Equal(["email"], result.Handoff!.Offer);
        Assert.False(runtime.IsQueueOpen("sales", holiday));
    }
}
