using System.Text.RegularExpressions;
using ScenarioKit.Engine.Text;
using ScenarioKit.Engine.Validation;
using ScenarioKit.Model;
using static ScenarioKit.Engine.Tests.Support.B;

namespace ScenarioKit.Engine.Tests.Validation;

/// <summary>Issue 11: finding an ask's value anywhere in a message.</summary>
public sealed class AnswerValidatorExtractTests
{
    static readonly DateOnly Today = new(2026, 11, 24);
    static readonly System.Text.Json.JsonSerializerOptions Json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    static string[] Find(Expectation expect, string text, string? search = null)
    {
        var errors = new List<RuntimeError>();
        var validator = new AnswerValidator(expect, RuntimeOptions.Default, Span(), errors);
        Assert.Empty(errors);
        var regex = search is null ? null : new Regex(search, MatchText.PatternOptions, TimeSpan.FromSeconds(1));
        var normalized = TextNormalizer.Normalize(text);
        return [.. validator.FindCandidates(normalized, Today, regex).Select(f => $"{normalized.Substring(f.Start, f.Length)}={f.Value?.ToJsonString(Json)}")];
    }

    [Theory]
    [InlineData("3人でお願いします", new[] { "3=3" })]
    [InlineData("１２月８日に２名で", new[] { "2=2" })]                  // 12 and 8 belong to the date
    [InlineData("15:30に4人", new[] { "4=4" })]                          // 15 and 30 belong to the time
    [InlineData("電話は090-1234-5678、大人2人", new[] { "2=2" })]        // the phone number is not a quantity
    [InlineData("A4サイズを10枚", new[] { "10=10" })]                    // "4" is part of a word
    [InlineData("1,200円くらい", new[] { "1,200=1200" })]
    [InlineData("no number here", new string[0])]
    public void Numbers_are_quantities_not_parts_of_dates_times_phones_or_words(string text, string[] expected) =>
        Assert.Equal(expected, Find(Expect(ExpectKind.Integer), text));

    [Fact]
    public void Numbers_outside_min_and_max_are_not_candidates() =>
        Assert.Equal(["3=3"], Find(Expect(ExpectKind.Integer, min: 1, max: 8), "30歳、3人です"));

    static readonly Choice[] Kinds = [new("返品", ["返金", "return"]), new("交換", ["サイズ交換", "exchange"])];

    [Theory]
    [InlineData("サイズ交換をお願いします", new[] { "サイズ交換=\"交換\"" })]        // the longest synonym wins
    [InlineData("返品か交換か迷っています", new[] { "返品=\"返品\"", "交換=\"交換\"" })]
    [InlineData("I'd like a RETURN please", new[] { "RETURN=\"返品\"" })]
    [InlineData("returned goods", new string[0])]                                      // not inside a longer word
    public void Choices_and_synonyms_are_found_on_word_boundaries(string text, string[] expected) =>
        Assert.Equal(expected, Find(Expect(ExpectKind.Choice, choices: Kinds), text));

    [Theory]
    [InlineData("注文12345678です", new[] { "12345678=\"12345678\"" })]
    [InlineData("123456789", new string[0])]                                            // inside a longer number
    public void Patterns_are_searched_not_anchored(string text, string[] expected) =>
        Assert.Equal(expected, Find(Expect(ExpectKind.Pattern, "[0-9]{8}"), text, "[0-9]{8}"));

    [Fact]
    public void An_anchored_pattern_only_finds_a_message_that_is_nothing_else()
    {
        Assert.Empty(Find(Expect(ExpectKind.Pattern, "^[0-9]{8}$"), "注文12345678です", "^[0-9]{8}$"));
        Assert.Equal(["12345678=\"12345678\""], Find(Expect(ExpectKind.Pattern, "^[0-9]{8}$"), "12345678", "^[0-9]{8}$"));
    }

    [Fact]
    public void Extract_takes_the_value_group_and_validates_it_like_an_answer()
    {
        const string name = @"(?:^|[にはの、\s])(?<value>[^\s、。にはの]+?)(?:さん|様)?で(?:予約|お願い)";
        Assert.Equal(["山田花子=\"山田花子\""], Find(Expectation.AnyText, "12月8日の午前に山田花子で予約したい", name));
        Assert.Empty(Find(Expect(ExpectKind.Text, min: 1, max: 2), "山田花子で予約", name)); // too long for max: 2
    }

    [Fact]
    public void Free_text_without_a_search_has_no_candidates() =>
        Assert.Empty(Find(Expectation.AnyText, "なんでもいいです"));

    [Theory]
    [InlineData(ExpectKind.Phone, "折り返しは 090-1234-5678 にお願いします", "090-1234-5678=\"09012345678\"")]
    [InlineData(ExpectKind.Email, "連絡先はtaro@example.jpです", "taro@example.jp=\"taro@example.jp\"")]
    [InlineData(ExpectKind.Date, "12月8日の午前に", "12月8日=\"2026-12-08\"")]
    [InlineData(ExpectKind.Date, "from 2026-12-08 please", "2026-12-08=\"2026-12-08\"")]
    public void Phones_emails_and_dates_are_found_inside_sentences(ExpectKind kind, string text, string expected) =>
        Assert.Equal([expected], Find(Expect(kind), text));

    [Fact]
    public void Yes_and_no_words_are_found_only_on_word_boundaries() =>
        Assert.Equal(["yes=true"], Find(Expect(ExpectKind.YesNo), "yes, and a note"));
}
