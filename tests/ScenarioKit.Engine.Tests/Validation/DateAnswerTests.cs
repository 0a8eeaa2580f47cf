using System.Collections.Immutable;
using ScenarioKit.Engine.Text;
using ScenarioKit.Engine.Validation;
using ScenarioKit.Model;
using static ScenarioKit.Engine.Tests.Support.B;

namespace ScenarioKit.Engine.Tests.Validation;

/// <summary>expect: date / time / datetime and the date rules (issue 11). Today is Thursday 2026-12-03.</summary>
public sealed class DateAnswerTests
{
    static readonly DateOnly Today = new(2026, 12, 3);

    static string? Answer(Expectation expect, string answer)
    {
        var errors = new List<RuntimeError>();
        var validator = new AnswerValidator(expect, RuntimeOptions.Default, Span(), errors);
        Assert.Empty(errors);
        return validator.TryValidate(TextNormalizer.Normalize(answer), Today, out var value, out _) ? value!.GetValue<string>() : null;
    }

    static Expectation Dates(DateBound? min = null, DateBound? max = null, bool future = false, bool past = false, params DayOfWeek[] weekdays) =>
        Expect(ExpectKind.Date) with { Dates = new DateConstraints(min, max, future, past, [.. weekdays]) };

    [Theory]
    [InlineData("明日", "2026-12-04")]
    [InlineData("12月5日(土)", "2026-12-05")]
    [InlineData("12月5日がいいです", "2026-12-05")]
    [InlineData("can I come on the 5th of December?", "2026-12-05")]
    [InlineData("2026-12-05", "2026-12-05")]
    [InlineData("12月5日(金)", null)]
    [InlineData("12月5日か6日", null)]
    [InlineData("わかりません", null)]
    public void Date_takes_the_one_date_in_the_answer(string answer, string? stored) =>
        Assert.Equal(stored, Answer(Expect(ExpectKind.Date), answer));

    [Theory]
    [InlineData("午後3時半", "15:30")]
    [InlineData("3:30pm please", "15:30")]
    [InlineData("正午", "12:00")]
    [InlineData("夕方", null)]
    [InlineData("10時か11時", null)]
    public void Time_is_stored_as_hours_and_minutes(string answer, string? stored) =>
        Assert.Equal(stored, Answer(Expect(ExpectKind.Time), answer));

    [Theory]
    [InlineData("明日の15時でお願いします", "2026-12-04T15:00")]
    [InlineData("Dec 8 at 10am", "2026-12-08T10:00")]
    [InlineData("明日", null)]
    [InlineData("15時", null)]
    public void Datetime_needs_a_date_and_a_time(string answer, string? stored) =>
        Assert.Equal(stored, Answer(Expect(ExpectKind.DateTime), answer));

    [Theory]
    [InlineData("今日", null)]
    [InlineData("明日", "2026-12-04")]
    [InlineData("昨日", null)]
    public void Future_excludes_today(string answer, string? stored) =>
        Assert.Equal(stored, Answer(Dates(future: true), answer));

    [Theory]
    [InlineData("今日", null)]
    [InlineData("昨日", "2026-12-02")]
    [InlineData("2019-04-30", "2019-04-30")]
    public void Past_excludes_today(string answer, string? stored) =>
        Assert.Equal(stored, Answer(Dates(past: true), answer));

    [Theory]
    [InlineData("今日", "2026-12-03")]
    [InlineData("1月2日", "2027-01-02")]
    [InlineData("1月3日", null)]
    [InlineData("昨日", null)]
    public void Relative_bounds_count_days_from_today(string answer, string? stored) =>
        Assert.Equal(stored, Answer(Dates(min: new DateBound(null, 0), max: new DateBound(null, 30)), answer));

    [Theory]
    [InlineData("2026-12-24", "2026-12-24")]
    [InlineData("2026-12-23", null)]
    [InlineData("2026-12-26", null)]
    public void Fixed_bounds_are_inclusive(string answer, string? stored) =>
        Assert.Equal(stored, Answer(Dates(min: new DateBound(new DateOnly(2026, 12, 24), 0), max: new DateBound(new DateOnly(2026, 12, 25), 0)), answer));

    [Theory]
    [InlineData("12月5日(土)", null)]
    [InlineData("来週の月曜", "2026-12-07")]
    [InlineData("Friday", "2026-12-04")]
    public void Weekdays_limit_the_days_of_the_week(string answer, string? stored) =>
        Assert.Equal(stored, Answer(Dates(null, null, false, false, DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday), answer));

    [Fact]
    public void Datetime_keeps_the_date_rules()
    {
        var expect = Expect(ExpectKind.DateTime) with { Dates = new DateConstraints(null, null, true, false, ImmutableArray<DayOfWeek>.Empty) };
        Assert.Null(Answer(expect, "今日の15時"));
        Assert.Equal("2026-12-04T15:00", Answer(expect, "明日の15時"));
    }
}
