using ScenarioKit.Model;

namespace ScenarioKit.Language.Tests.Issues;

/// <summary>Issue 11: what the compiler puts in the package for date rules, validate rules, time zones and queue calendars.</summary>
public class Issue11_DateRulesTests
{
    static ScenarioModel Compile(string yaml)
    {
        var model = Binding.BindingTests.Compile(yaml);
        // The package round-trips: the engine reads what the compiler wrote.
        var bytes = PackageFormat.SerializeModel(model);
        Assert.Equal(bytes, PackageFormat.SerializeModel(System.Text.Json.JsonSerializer.Deserialize<ScenarioModel>(bytes, PackageFormat.JsonOptions)!));
        return model;
    }

    [Fact]
    public void Date_rules_validate_rules_and_the_time_zone_reach_the_model()
    {
        var model = Compile("""
            timezone: Asia/Tokyo
            variables: { visit.date: string, visit.time: string, visit.at: string }
            intents: { book: { examples: [予約したい, 予約をお願いします, 予約できますか] } }
            flows:
              book:
                trigger: { intent: book }
                steps:
                  - ask: visit.date
                    prompt: "いつ？"
                    expect: { type: date, min: today, max: +2w, future: true, weekdays: [mon, fri] }
                    validate:
                      - "value != '2026-12-29'"
                      - { must: "value < '2027-04-01'", message: "3月まで" }
                  - ask: visit.time
                    prompt: "何時？"
                    expect: { type: time }
                  - ask: visit.at
                    prompt: "日時は？"
                    expect: { type: datetime, min: 2026-12-01 }
            """);
        Assert.Equal("Asia/Tokyo", model.TimeZone);
        var asks = model.Flows.Single().Steps.OfType<AskStep>().ToArray();
        var dates = asks[0].Expect.Dates!;
        Assert.Equal(new DateBound(null, 0), dates.Min);
        Assert.Equal(new DateBound(null, 14), dates.Max);
        Assert.True(dates.Future);
        Assert.False(dates.Past);
        Assert.Equal([DayOfWeek.Monday, DayOfWeek.Friday], dates.Weekdays);
        Assert.Equal(["value != '2026-12-29'", "value < '2027-04-01'"], asks[0].Validate.Select(v => v.Must.Source));
        Assert.Null(asks[0].Validate[0].Message);
        Assert.NotNull(asks[0].Validate[1].Message);
        Assert.Equal(ExpectKind.Time, asks[1].Expect.Kind);
        Assert.Equal(ExpectKind.DateTime, asks[2].Expect.Kind);
        Assert.Equal(new DateBound(new DateOnly(2026, 12, 1), 0), asks[2].Expect.Dates!.Min);
    }

    [Fact]
    public void Closed_days_and_a_queue_out_of_hours_answer_reach_the_model()
    {
        var model = Compile("""
            intents: { human: { examples: [担当者と話したい, オペレーターをお願い, 人と話したい] } }
            flows:
              human:
                trigger: { intent: human }
                steps:
                  - handoff: support
            handoff:
              queues:
                support:
                  hours: "Mon-Fri 09:00-18:00"
                  timezone: Asia/Tokyo
                  closed: ["12-29..01-03", "2026-05-03..2026-05-06", "02-29", "2026-08-13"]
                  outOfHours: { say: "休業中です", offer: [callback] }
            """);
        var queue = model.Handoff.Queues.Single();
        Assert.Equal(
            [
                new ClosedDates(new DateOnly(2000, 12, 29), new DateOnly(2000, 1, 3), true),
                new ClosedDates(new DateOnly(2026, 5, 3), new DateOnly(2026, 5, 6), false),
                new ClosedDates(new DateOnly(2000, 2, 29), new DateOnly(2000, 2, 29), true),
                new ClosedDates(new DateOnly(2026, 8, 13), new DateOnly(2026, 8, 13), false),
            ], queue.Closed);
        Assert.Equal(["callback"], queue.OutOfHours!.Offer);
        Assert.Null(model.Handoff.OutOfHours);
    }
}
