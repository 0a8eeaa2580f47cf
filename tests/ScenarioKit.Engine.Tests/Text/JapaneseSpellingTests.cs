using CsCheck;
using ScenarioKit.Engine.Tests.Support;
using ScenarioKit.Model;
using ScenarioKit.Model.Text;
using static ScenarioKit.Engine.Tests.Support.B;

namespace ScenarioKit.Engine.Tests.Text;

/// <summary>Everyday words spelt in kanji or kana, and colloquial endings (issue 12, docs/engine.md "Kanji and kana spellings").</summary>
public sealed class JapaneseSpellingTests
{
    static SegmentedText Segment(string text) => TextSegmenter.Segment(MatchText.NormalizeAndFold(text));

    static string[] Words(string text) => [.. Segment(text).Terms.Select(t => t.Text)];

    static string[] Content(string text) => [.. Segment(text).Terms.Where(t => !t.IsFunction).Select(t => t.Text)];

    [Theory]
    [InlineData("教えて下さい", "教えてください")]
    [InlineData("返品出来ますか", "返品できますか")]
    [InlineData("分かりません", "わかりません")]
    [InlineData("連絡が欲しいです", "連絡がほしいです")]
    [InlineData("在庫は無いですか", "在庫はないですか")]
    [InlineData("在庫は有りますか", "在庫はありますか")]
    [InlineData("ご確認頂けますか", "ご確認いただけますか")]
    [InlineData("宜しくお願いします", "よろしくお願いします")]
    [InlineData("何時届きますか", "いつ届きますか")]
    [InlineData("いつ頃届く", "いつごろ届く")]
    [InlineData("色々聞きたい", "いろいろ聞きたい")]
    [InlineData("荷物がとどかない", "荷物が届かない")]
    [InlineData("返品の事で", "返品のことで")]
    [InlineData("別の物が入っていた", "別のものが入っていた")]
    [InlineData("御注文の件", "ご注文の件")]
    public void Either_spelling_reads_the_same(string kanji, string kana) => Assert.Equal(Words(kana), Words(kanji));

    [Theory]
    [InlineData("荷物", "荷物")]        // 「物」 only alone, never inside a word
    [InlineData("無料", "無料")]
    [InlineData("有人対応", "有人対応")]
    [InlineData("返事", "返事")]
    [InlineData("御社", "御社")]        // 「御」 only before a word of two kanji or more
    [InlineData("下着", "下着")]        // 「下」 only as 「下さ…」
    public void A_kanji_inside_a_longer_word_is_left_alone(string text, string word) => Assert.Equal([word], Words(text));

    [Theory]
    [InlineData("取り替えてほしい", "とりかえてほしい")]      // a compound verb in kana reads as its okurigana compound (session 7)
    [InlineData("取替えてほしい", "とりかえてほしい")]
    [InlineData("取り消したい", "とりけしたい")]
    [InlineData("受け取れない", "うけとれない")]
    [InlineData("申し込みたい", "もうしこみたい")]
    [InlineData("払い戻しは", "はらいもどしは")]
    [InlineData("返品したい", "へんぴんしたい")]                // a support noun typed in kana
    [InlineData("送料っていくら", "そうりょうっていくら")]
    [InlineData("注文の確認", "ちゅうもんのかくにん")]
    [InlineData("担当者と話したい", "たんとうしゃと話したい")]
    public void A_support_word_typed_in_kana_reads_as_its_kanji(string kanji, string kana) => Assert.Equal(Content(kanji), Content(kana));

    [Theory]
    [InlineData("はいそうです", "配送")]                          // 「はい、そうです」
    [InlineData("こうかんじで", "交換")]                          // 「こう感じで」
    [InlineData("かれにもつたえて", "荷物")]                      // 「彼にも伝えて」
    public void A_kana_spelling_that_is_also_a_phrase_stays_kana(string text, string kanji) =>
        Assert.DoesNotContain(Content(text), w => w.Contains(kanji, StringComparison.Ordinal));

    [Theory]
    [InlineData("henpin", "返品")]
    [InlineData("souryou", "送料")]
    [InlineData("torikaete", "取り替えて")]
    public void Romaji_reads_as_the_kanji_word_through_its_kana(string romaji, string kanji)
    {
        // "henpin" is read as へんぴん (JapaneseReading.ReadRomaji), which the table reads as 返品: the example's own word.
        var text = Segment(romaji);
        string[] read = [.. ScenarioKit.Engine.Recognition.JapaneseReading.ReadRomaji(text, text.Terms[0]).Where(t => !t.IsFunction).Select(t => t.Text)];
        Assert.Equal(Content(kanji), read);
    }

    [Fact]
    public void Kana_after_a_small_tsu_begin_another_word() => Assert.DoesNotContain(Words("ちょっときいていいですか"), w => w.Contains('時'));

    [Fact]
    public void The_kanji_of_a_noun_cuts_the_hiragana_run_it_sits_in() =>
        Assert.Equal(["いない", "物"], Content("いないものが"));

    [Fact]
    public void Positions_stay_in_the_text_as_typed()
    {
        var text = Segment("教えて下さい");
        var ending = text.Terms[^1];
        Assert.Equal("てください", ending.Text);
        Assert.Equal(2, ending.Start);
        Assert.Equal(4, ending.Length);                // 「て下さい」 as typed
        Assert.True(text.IsBoundary(6));
        Assert.Equal(KanaFolding.Fold("教えて下さい"), text.Matching);
    }

    /// <summary>Characters of the table, okurigana compounds and the scripts around them, so random text hits every rule.</summary>
    const string Pool = "下さい欲しい出来分か頂無有何時間色々頃御注文社取り消し受け取ってのにをはがとどくこともの様又未だ10abc 、。ーキャンセルへんぴんとりかえそうりょうなりまし安たら";

    [Fact]
    public void Random_text_gives_terms_inside_the_text_as_typed_in_order_and_the_same_twice() =>
        Gen.Int[0, Pool.Length - 1].List[0, 24].Sample(picks =>
        {
            var text = MatchText.NormalizeAndFold(new string([.. picks.Select(i => Pool[i])]));
            var segmented = TextSegmenter.Segment(text);
            var end = 0;
            foreach (var term in segmented.Terms)
            {
                Assert.InRange(term.Length, 1, text.Length);
                Assert.InRange(term.Start + term.Length, 1, text.Length);
                Assert.True(term.Start >= end || term.Script == ScenarioKit.Model.Text.Script.Hiragana, $"'{text}': {term} before {end}"); // the negation word repeats its run
                end = Math.Max(end, term.Start);
            }
            Assert.Equal(segmented.Terms, TextSegmenter.Segment(text).Terms);
        }, iter: 2000);

    [Theory]
    [InlineData("壊れちゃった", "ちゃった")]
    [InlineData("届いてないっす", "っす")]
    [InlineData("まだ残ってるじゃん", "じゃん")]
    [InlineData("届いてたんだよね", "んだよね")]
    public void Colloquial_endings_are_function_words(string text, string ending) =>
        Assert.Contains(Segment(text).Terms, t => t.IsFunction && t.Text == KanaFolding.Fold(ending));

    // End to end: the scenario writes one spelling, the customer another.
    static readonly ScenarioModel Shop = Scenario("ja-JP") with
    {
        Fallback = M("よく分かりませんでした"),
        Intents =
        [
            Intent("cancel_order", examples: ["注文を取り消したい", "注文の取消をお願いします", "キャンセルしたい"]),
            Intent("refund", examples: ["払い戻しはいつですか", "返金してほしい"]),
            Intent("delivery_problem", examples: ["荷物が届かない", "商品が届いていません"]),
        ],
        Flows =
        [
            Flow("cancel_order", "cancel_order", Say("c/0", "取消を承ります")),
            Flow("refund", "refund", Say("r/0", "返金について")),
            Flow("delivery_problem", "delivery_problem", Say("d/0", "配送について")),
        ],
    };

    [Theory]
    [InlineData("注文の取り消しをしたい", "cancel_order")]    // okurigana written where the example has none
    [InlineData("注文を取消して下さい", "cancel_order")]      // and the other way round, 下さい in kanji
    [InlineData("払戻はいつになりますか", "refund")]
    [InlineData("にもつがとどきません", "delivery_problem")] // the verb in kana
    public void Spellings_the_examples_do_not_have_meet_them(string text, string intent) =>
        Assert.Equal(intent, new Chat(Load(Shop)).User(text).Trace.Intent);
}
