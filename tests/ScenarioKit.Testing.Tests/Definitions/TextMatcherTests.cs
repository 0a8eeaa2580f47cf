using ScenarioKit.Testing.Definitions;

namespace ScenarioKit.Testing.Tests.Definitions;

public class TextMatcherTests
{
    [Theory]
    [InlineData("ご注文番号を教えてください。", "ご注文番号を教えてください。", true)]
    [InlineData("ご注文番号を教えてください。", "ご注文番号を教えてください", false)]
    [InlineData("Line one\nline two", "Line one\r\nline two", true)]
    [InlineData("*よく分かりませんでした*", "すみません、よく分かりませんでした。もう一度どうぞ。", true)]
    [InlineData("*よく分かりませんでした*", "よく分かりません", false)]
    [InlineData("Order *: shipped", "Order 12345678: shipped", true)]
    [InlineData("Order *: shipped", "Order 12345678: shipped today", false)]
    [InlineData(@"5 \* 2 = *", "5 * 2 = 10", true)]
    [InlineData(@"5 \* 2 = *", "5 x 2 = 10", false)]
    [InlineData(@"a\*b", "a*b", true)]
    [InlineData("/^Order [0-9]{8}: .+\\.$/", "Order 12345678: shipped.", true)]
    [InlineData("/[0-9]{8}/", "Order 12345678: shipped.", false)]
    [InlineData("/.*[0-9]{8}.*/", "Order 12345678: shipped.", true)]
    public void Matches_exact_wildcard_and_whole_text_regex(string expected, string actual, bool matches)
    {
        var matcher = TextMatcher.Parse(expected, out var error);
        Assert.Null(error);
        Assert.Equal(matches, matcher.IsMatch(actual));
    }

    [Fact]
    public void One_of_matches_any_alternative()
    {
        var matcher = new OneOfMatcher([TextMatcher.Parse("こんにちは", out _), TextMatcher.Parse("いらっしゃいませ*", out _)]);
        Assert.True(matcher.IsMatch("いらっしゃいませ！"));
        Assert.True(matcher.IsMatch("こんにちは"));
        Assert.False(matcher.IsMatch("こんばんは"));
    }

    [Fact]
    public void An_invalid_regex_is_reported_not_thrown()
    {
        TextMatcher.Parse("/[unclosed/", out var error);
        Assert.NotNull(error);
    }
}
