using ScenarioKit.Engine.Tests.Support;
using ScenarioKit.Model;
using static ScenarioKit.Engine.Tests.Support.B;

namespace ScenarioKit.Engine.Tests.Validation;

/// <summary>Issue 11: validate rules on asks, and dates read in the scenario's time zone.</summary>
public sealed class AskValidationTests
{
    static ScenarioModel Booking(AskStep ask, string? timeZone = null) => Scenario("ja-JP") with
    {
        Fallback = M("fallback"),
        Variables = [Var("visit"), Var("count", VariableType.Integer), Var("limit", VariableType.Integer, 4)],
        Intents = [Intent("book", patterns: ["^予約$"])],
        Flows = [Flow("book", "book", ask, Say("book/1", "OK ${visit ?? count}"))],
        TimeZone = timeZone,
    };

    [Fact]
    public void Tomorrow_is_read_in_the_scenario_time_zone_not_utc()
    {
        // 16:00 UTC on Thursday 3 December is already 01:00 on Friday 4 December in Tokyo.
        var at = new DateTimeOffset(2026, 12, 3, 16, 0, 0, TimeSpan.Zero);
        var ask = Ask("book/0", "visit", "いつ？", Expect(ExpectKind.Date));
        var tokyo = new Chat(Load(Booking(ask, "Asia/Tokyo")), start: at);
        tokyo.User("予約");
        Assert.Equal(["OK 2026-12-05"], tokyo.Reply("明日"));
        var utc = new Chat(Load(Booking(ask)), start: at);
        utc.User("予約");
        Assert.Equal(["OK 2026-12-04"], utc.Reply("明日"));
    }

    [Fact]
    public void A_date_without_a_year_rolls_over_in_the_scenario_time_zone()
    {
        // 31 Dec 15:30 UTC is 1 Jan 00:30 in Tokyo: 「1月1日」 is today there, not next year.
        var ask = Ask("book/0", "visit", "いつ？", Expect(ExpectKind.Date));
        var chat = new Chat(Load(Booking(ask, "Asia/Tokyo")), start: new DateTimeOffset(2026, 12, 31, 15, 30, 0, TimeSpan.Zero));
        chat.User("予約");
        Assert.Equal(["OK 2027-01-01"], chat.Reply("1月1日"));
    }

    [Fact]
    public void A_broken_validate_rule_says_its_own_message_and_counts_as_a_retry()
    {
        var ask = Ask("book/0", "count", "何名様ですか？", Expect(ExpectKind.Integer), retry: "人数を数字で", maxAttempts: 3,
            Say("book/0/onFail/0", "係におつなぎします")) with
        {
            Validate = [new AnswerCheck(E("value <= limit"), M("${limit}名までです"), Span()), new AnswerCheck(E("value % 2 == 0"), null, Span())],
        };
        var chat = new Chat(Load(Booking(ask)));
        chat.User("予約");
        Assert.Equal(["4名までです"], chat.Reply("6"));
        Assert.Equal(["人数を数字で"], chat.Reply("3"));
        Assert.Equal(["係におつなぎします"], chat.Reply("5"));
    }

    [Fact]
    public void Validate_sees_the_value_today_and_other_variables()
    {
        var ask = Ask("book/0", "visit", "いつ？", Expect(ExpectKind.Date)) with
        {
            Validate = [new AnswerCheck(E("value != today && value.slice(5) != '12-24'"), M("その日は承れません"), Span())],
        };
        var chat = new Chat(Load(Booking(ask, "Asia/Tokyo")), start: new DateTimeOffset(2026, 12, 3, 1, 0, 0, TimeSpan.Zero));
        chat.User("予約");
        Assert.Equal(["その日は承れません"], chat.Reply("今日"));
        Assert.Equal(["その日は承れません"], chat.Reply("12/24"));
        Assert.Equal(["OK 2026-12-25"], chat.Reply("12/25"));
        Assert.DoesNotContain(chat.State.Variables.Keys, k => k is "value" or "today");
    }

    [Fact]
    public void A_validate_rule_that_fails_to_evaluate_rejects_the_answer_and_is_logged()
    {
        var ask = Ask("book/0", "count", "何名様ですか？", Expect(ExpectKind.Integer), retry: "もう一度") with
        {
            Validate = [new AnswerCheck(E("value.toFixed(-5) == '1'"), null, Span())],
        };
        var chat = new Chat(Load(Booking(ask)));
        chat.User("予約");
        var result = chat.User("2");
        Assert.Equal(["もう一度"], Chat.Texts(result));
        Assert.NotEmpty(result.Trace.Errors);
    }
}
