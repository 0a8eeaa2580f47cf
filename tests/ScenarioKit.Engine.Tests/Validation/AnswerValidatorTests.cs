using System.Text.Json.Nodes;
using ScenarioKit.Engine.Text;
using ScenarioKit.Engine.Validation;
using ScenarioKit.Model;
using static ScenarioKit.Engine.Tests.Support.B;

namespace ScenarioKit.Engine.Tests.Validation;

public sealed class AnswerValidatorTests
{
    static readonly DateOnly Today = new(2026, 11, 24);

    static (bool Ok, string? Json) Validate(Expectation expect, string answer)
    {
        var errors = new List<RuntimeError>();
        var validator = new AnswerValidator(expect, RuntimeOptions.Default, Span(), errors);
        Assert.Empty(errors);
        var ok = validator.TryValidate(TextNormalizer.Normalize(answer), Today, out var value, out _);
        return (ok, value?.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
    }

    [Theory]
    [InlineData("12345678", true, "\"12345678\"")]
    [InlineData("１２３４５６７８", true, "\"12345678\"")]
    [InlineData(" 12345678 ", true, "\"12345678\"")]
    [InlineData("1234567", false, null)]
    [InlineData("abc", false, null)]
    [InlineData("12345678x", false, null)]
    public void Pattern_matches_the_whole_normalised_answer(string answer, bool ok, string? json) =>
        Assert.Equal((ok, json), Validate(Expect(ExpectKind.Pattern, "^[0-9]{8}$"), answer));

    [Theory]
    [InlineData("42", true, "42")]
    [InlineData("４２", true, "42")]
    [InlineData("1,234", true, "1234")]
    [InlineData("１，２３４", true, "1234")]
    [InlineData("-3", true, "-3")]
    [InlineData("2.5", false, null)]
    [InlineData("1,23", false, null)]
    [InlineData("forty", false, null)]
    public void Integer_accepts_full_width_and_grouping(string answer, bool ok, string? json) =>
        Assert.Equal((ok, json), Validate(Expect(ExpectKind.Integer), answer));

    [Theory]
    [InlineData("2.5", true, "2.5")]
    [InlineData("10", false, null)]
    [InlineData("0", false, null)]
    public void Number_honours_min_and_max(string answer, bool ok, string? json) =>
        Assert.Equal((ok, json), Validate(Expect(ExpectKind.Number, min: 1, max: 5), answer));

    [Theory]
    [InlineData("1,234.5", true, "1234.5")]
    [InlineData("－０．２５", true, "-0.25")]
    [InlineData("1.2.3", false, null)]
    public void Number_accepts_decimals_grouping_and_full_width(string answer, bool ok, string? json) =>
        Assert.Equal((ok, json), Validate(Expect(ExpectKind.Number), answer));

    [Theory]
    [InlineData("配送", true, "\"配送\"")]
    [InlineData("届く", true, "\"配送\"")]
    [InlineData("Shipping", true, "\"配送\"")]
    [InlineData("ＳＨＩＰＰＩＮＧ", true, "\"配送\"")]
    [InlineData("返品。", true, "\"返品\"")]
    [InlineData("その他", false, null)]
    public void Choice_matches_values_and_synonyms(string answer, bool ok, string? json) =>
        Assert.Equal((ok, json), Validate(Expect(ExpectKind.Choice, choices: [new Choice("配送", ["届く", "shipping"]), new Choice("返品", [])]), answer));

    [Theory]
    [InlineData("はい", "true")]
    [InlineData("うん！", "true")]
    [InlineData("Yes", "true")]
    [InlineData("ok", "true")]
    [InlineData("いいえ", "false")]
    [InlineData("No.", "false")]
    [InlineData("nope", "false")]
    public void YesNo_understands_japanese_and_english(string answer, string json) =>
        Assert.Equal((true, json), Validate(Expect(ExpectKind.YesNo), answer));

    [Fact]
    public void YesNo_rejects_other_answers() => Assert.False(Validate(Expect(ExpectKind.YesNo), "たぶん").Ok);

    [Theory]
    [InlineData("taro@example.jp", true)]
    [InlineData("ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ", true)]
    [InlineData("taro@example", false)]
    [InlineData("taro example.jp", false)]
    public void Email(string answer, bool ok) => Assert.Equal(ok, Validate(Expect(ExpectKind.Email), answer).Ok);

    [Theory]
    [InlineData("03-1234-5678", true, "\"0312345678\"")]
    [InlineData("０９０－１２３４－５６７８", true, "\"09012345678\"")]
    [InlineData("+81 90 1234 5678", true, "\"+819012345678\"")]
    [InlineData("(555) 123-4567", true, "\"5551234567\"")]
    [InlineData("123", false, null)]
    [InlineData("call me", false, null)]
    public void Phone(string answer, bool ok, string? json) => Assert.Equal((ok, json), Validate(Expect(ExpectKind.Phone), answer));

    [Theory]
    [InlineData("2026-11-24", true, "\"2026-11-24\"")]
    [InlineData("2026/11/24", true, "\"2026-11-24\"")]
    [InlineData("２０２６／１１／２４", true, "\"2026-11-24\"")]
    [InlineData("11月24日", true, "\"2026-11-24\"")]
    [InlineData("2027年1月5日", true, "\"2027-01-05\"")]
    [InlineData("2026-02-30", false, null)]
    [InlineData("tomorrow", true, "\"2026-11-25\"")] // issue 11: relative dates are understood
    [InlineData("some day", false, null)]
    public void Date(string answer, bool ok, string? json) => Assert.Equal((ok, json), Validate(Expect(ExpectKind.Date), answer));

    [Fact]
    public void Text_bounds_length_and_rejects_empty()
    {
        Assert.False(Validate(Expect(ExpectKind.Text, min: 2, max: 4), "a").Ok);
        Assert.True(Validate(Expect(ExpectKind.Text, min: 2, max: 4), "abc").Ok);
        Assert.False(Validate(Expect(ExpectKind.Text, min: 2, max: 4), "abcde").Ok);
        Assert.False(Validate(Expectation.AnyText, "   ").Ok);
    }

    [Fact]
    public void Kind_with_extra_pattern_needs_both()
    {
        Assert.True(Validate(Expect(ExpectKind.Integer, pattern: @"\d{3}"), "123").Ok);
        Assert.False(Validate(Expect(ExpectKind.Integer, pattern: @"\d{3}"), "1234").Ok);
    }

    [Fact]
    public void Catastrophic_answer_pattern_is_answered_in_linear_time()
    {
        var validator = new AnswerValidator(Expect(ExpectKind.Pattern, "(a+)+$"), new RuntimeOptions { RegexTimeout = TimeSpan.FromMilliseconds(20) }, Span(), []);
        Assert.False(validator.TryValidate(new string('a', 40) + "!", Today, out _, out var timedOut));
        Assert.False(timedOut);
        Assert.True(validator.TryValidate(new string('a', 40), Today, out _, out _));
    }

    [Fact]
    public void Catastrophic_answer_pattern_the_linear_engine_cannot_run_times_out_as_invalid()
    {
        var validator = new AnswerValidator(Expect(ExpectKind.Pattern, @"(a+)+\1$"), new RuntimeOptions { RegexTimeout = TimeSpan.FromMilliseconds(20) }, Span(), []);
        Assert.False(validator.TryValidate(new string('a', 40) + "!", Today, out _, out var timedOut));
        Assert.True(timedOut);
        _ = JsonValue.Create(1);
    }
}
