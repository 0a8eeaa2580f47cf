using System.Collections.Immutable;
using ScenarioKit.Model;
using ScenarioKit.Model.Text;

namespace ScenarioKit.Engine.Tests.Text;

/// <summary>Keywords and vocabulary variants respect word boundaries (issue 12: 「ないくらい」 took the price keyword 「いくら」).</summary>
public sealed class WordPatternTests
{
    static bool Matches(string keyword, string text) =>
        WordPattern.Parse(keyword).IsIn(TextSegmenter.Segment(MatchText.NormalizeAndFold(text)));

    [Theory]
    [InlineData("いくら", "いくらですか", true)]
    [InlineData("いくら", "送料はおいくら？", true)]
    [InlineData("いくら", "信じられないくらい寒い", false)]
    [InlineData("いくら", "ないくらい", false)]
    [InlineData("*いくら*", "ないくらい", true)]
    [InlineData("状況", "配送状況を知りたい", true)]
    [InlineData("カード", "クレジットカードで払いたい", true)]
    [InlineData("キャンセル", "きゃんせるしたい", true)]
    [InlineData("ｷｬﾝｾﾙ", "キャンセルしたい", true)]
    [InlineData("お届け", "お届けはいつですか", true)]
    [InlineData("refund", "I want a refund", true)]
    [InlineData("refund", "refunds please", true)]
    [InlineData("refund", "is it refunded", true)]
    [InlineData("refund", "is it refundable", false)]
    [InlineData("bill", "a billion", false)]
    [InlineData("check for an outage", "Check for an outage please", true)]
    [InlineData("12", "order 123", false)]
    public void Keywords_match_at_word_boundaries(string keyword, string text, bool expected) => Assert.Equal(expected, Matches(keyword, text));

    [Fact]
    public void Vocabulary_rewrites_variants_to_their_term_longest_first()
    {
        var vocabulary = new VocabularyRewriter([
            new VocabularyTerm("配送", ["配達", "お届け"], SourceSpan.None),
            new VocabularyTerm("キャンセル", ["取り消し", "取消"], SourceSpan.None),
            new VocabularyTerm("refund", ["money back"], SourceSpan.None),
        ]);
        var applied = new List<string>();
        Assert.Equal("配送はいつですか", vocabulary.Rewrite(MatchText.NormalizeAndFold("お届けはいつですか"), applied));
        Assert.Equal(["お届け→配送"], applied);
        Assert.Equal("注文をキャンセルしたい", vocabulary.Rewrite("注文を取消したい"));
        Assert.Equal("i want my refund", vocabulary.Rewrite("i want my money back"));
        Assert.Equal("my money background", vocabulary.Rewrite("my money background"));
    }

    [Fact]
    public void An_empty_vocabulary_returns_the_same_string()
    {
        const string text = "配達状況";
        Assert.Same(text, VocabularyRewriter.Empty.Rewrite(text));
        Assert.True(new VocabularyRewriter(ImmutableArray<VocabularyTerm>.Empty).IsEmpty);
    }
}
