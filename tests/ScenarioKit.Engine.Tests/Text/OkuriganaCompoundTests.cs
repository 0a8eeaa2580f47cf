using ScenarioKit.Model;
using ScenarioKit.Model.Text;

namespace ScenarioKit.Engine.Tests.Text;

/// <summary>Compounds written with okurigana inside are one word, read without it (issue 12, docs/engine.md "Okurigana compounds").</summary>
public sealed class OkuriganaCompoundTests
{
    static string[] Content(string text) =>
        [.. TextSegmenter.Segment(MatchText.NormalizeAndFold(text)).Terms.Where(t => !t.IsFunction).Select(t => t.Text)];

    [Theory]
    [InlineData("受け取って", "受取")]
    [InlineData("受け取れない", "受取")]
    [InlineData("受け取りたい", "受取")]
    [InlineData("受取", "受取")]
    [InlineData("取り消したい", "取消")]
    [InlineData("取消し", "取消")]
    [InlineData("取消", "取消")]
    [InlineData("払い戻し", "払戻")]
    [InlineData("払戻", "払戻")]
    [InlineData("申し込みました", "申込")]
    [InlineData("お問い合わせ", "問合")]
    [InlineData("問合せ", "問合")]
    [InlineData("引き落とされた", "引落")]
    [InlineData("引落し", "引落")]
    [InlineData("切り替えたい", "切替")]
    [InlineData("切替", "切替")]
    [InlineData("落とし物", "落物")]                     // two kana of okurigana
    [InlineData("申し込み書", "申込書")]                  // okurigana and kanji alternating
    [InlineData("買い物", "買物")]                        // a verb's 「い」 still joins: 買 is no adjective stem
    [InlineData("払い戻してほしい", "払戻")]
    public void Every_spelling_and_inflection_reads_as_one_word(string text, string word) => Assert.Equal(word, Content(text)[0]);

    [Fact]
    public void The_conjugation_after_the_compound_is_split_off_as_after_any_kanji_word()
    {
        var terms = TextSegmenter.Segment(MatchText.NormalizeAndFold("受け取ってないです")).Terms;
        Assert.Equal("受取", terms[0].Text);
        Assert.Equal(0, terms[0].Start);
        Assert.Equal(3, terms[0].Length);                  // the word covers what was typed, okurigana included
        Assert.Contains(TextSegmenter.JapaneseNegation, terms.Select(t => t.Text));
    }

    [Theory]
    [InlineData("日に発送", new[] { "日", "発送" })]          // particles between two kanji words
    [InlineData("私の注文", new[] { "私", "注文" })]
    [InlineData("返品は可能", new[] { "返品", "可能" })]
    [InlineData("注文と違う", new[] { "注文", "違" })]
    [InlineData("商品を交換", new[] { "商品", "交換" })]
    [InlineData("色も形も", new[] { "色", "形" })]
    [InlineData("商品のみ発送", new[] { "商品", "のみ", "発送" })] // a two-kana particle
    [InlineData("東京より大阪", new[] { "東京", "大阪" })]
    [InlineData("写真を見て確認", new[] { "写真", "見", "確認" })] // te-form
    [InlineData("届く日", new[] { "届", "日" })]             // attributive
    [InlineData("届いた商品", new[] { "届", "いた", "商品" })] // past
    [InlineData("新しい商品", new[] { "新", "しい", "商品" })] // two-kana adjective ending
    [InlineData("来ない日", new[] { "来", "ない", "日" })]     // negation
    [InlineData("安い商品", new[] { "安", "商品" })]           // a one-kana adjective ending (session 7)
    [InlineData("高い料金", new[] { "高", "料金" })]
    [InlineData("古い型番", new[] { "古", "型番" })]
    [InlineData("黄色い箱", new[] { "黄色", "箱" })]
    public void Particles_and_inflections_between_kanji_words_do_not_join(string text, string[] words) =>
        Assert.Equal(words, Content(text).Where(w => w != TextSegmenter.JapaneseNegation || words.Contains(w)).Distinct());

    [Theory]
    [InlineData("り", true)]
    [InlineData("け", true)]
    [InlineData("とし", true)]
    [InlineData("さえ", true)]
    [InlineData("の", false)]
    [InlineData("に", false)]
    [InlineData("て", false)]
    [InlineData("た", false)]
    [InlineData("しい", false)]
    [InlineData("のみ", false)]
    [InlineData("より", false)]
    [InlineData("ってい", false)]
    public void Okurigana_is_one_or_two_continuative_kana(string kana, bool okurigana) => Assert.Equal(okurigana, OkuriganaCompound.IsOkurigana(kana));
}
