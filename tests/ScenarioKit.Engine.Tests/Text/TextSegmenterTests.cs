using ScenarioKit.Model;
using ScenarioKit.Model.Text;

namespace ScenarioKit.Engine.Tests.Text;

/// <summary>Japanese and English text handling beyond NFKC (issue 12): kana folding, segmentation, endings, stemming.</summary>
public sealed class TextSegmenterTests
{
    static SegmentedText Segment(string text) => TextSegmenter.Segment(MatchText.NormalizeAndFold(text));

    static string[] Content(string text) => [.. Segment(text).Terms.Where(t => !t.IsFunction).Select(t => t.Text)];

    static string[] Function(string text) => [.. Segment(text).Terms.Where(t => t.IsFunction).Select(t => t.Text)];

    [Theory]
    [InlineData("キャンセル", "きやんせる")]
    [InlineData("ちょっと", "ちよつと")]
    [InlineData("ヴァイオリン", "ゔあいおりん")]
    [InlineData("ありがと〜", "ありがとー")]
    [InlineData("注文abc", "注文abc")]
    public void Kana_folding_is_one_character_for_one(string input, string expected)
    {
        Assert.Equal(expected, KanaFolding.Fold(input));
        Assert.Equal(input.Length, KanaFolding.Fold(input).Length);
    }

    [Theory]
    [InlineData("返品したいです", new[] { "返品" })]
    [InlineData("荷物が届かないんですけど", new[] { "荷物", "届", "かない", "ない" })]
    [InlineData("送料はおいくらですか", new[] { "送料", "いくら" })]
    [InlineData("オペレーターと話したい", new[] { "おぺれた", "話" })]
    [InlineData("PayPayで払えますか", new[] { "paypay", "払" })]
    [InlineData("身長１７０ｃｍです", new[] { "身長", "170", "cm" })]
    public void Script_changes_and_endings_cut_words(string input, string[] content) => Assert.Equal(content, Content(input));

    [Theory]
    [InlineData("返品したいです", "たいです")]
    [InlineData("届きますか", "ますか")]
    [InlineData("教えてください", "てください")]
    [InlineData("これ使えるかな", "かな")]
    [InlineData("在庫あるよね", "よね")]
    [InlineData("どこにあるの？", "の")]
    public void Polite_and_sentence_final_endings_are_function_words(string input, string ending) =>
        Assert.Contains(KanaFolding.Fold(ending), Function(input));

    [Theory]
    [InlineData("いつごろになりますか", "いつごろ")]         // particle + auxiliary + ending inside one hiragana run
    [InlineData("いつになりますか", "いつ")]
    [InlineData("どれくらいになるの", "どれくらい")]
    [InlineData("いつごろになっちゃう", "いつごろ")]
    [InlineData("まだかかりますか", "まだかかり")]           // no particle before the verb: nothing to split
    [InlineData("ありがとうございます", "ありがとうござい")]  // あり at the front is no chain
    [InlineData("みにくい", "みにくい")]                     // no auxiliary at the end
    public void An_inflection_chain_is_split_from_the_word_before_it(string input, string word) =>
        Assert.Equal([word], Content(input));

    [Theory]
    [InlineData("届きましたら教えて", "ましたら")]
    [InlineData("在庫がなかったら", "たら")]
    [InlineData("返品でしたら", "でしたら")]
    [InlineData("遅いですね", "ですね")]
    public void Conditional_and_softened_endings_are_function_words(string input, string ending) =>
        Assert.Contains(KanaFolding.Fold(ending), Function(input));

    [Fact]
    public void Katakana_and_hiragana_spellings_meet() =>
        Assert.Equal(Content("キャンセル"), Content("きゃんせる"));

    [Fact]
    public void Long_vowel_marks_are_dropped_from_words() =>
        Assert.Equal(Content("コールバック"), Content("コ〜ルバック"));

    [Theory]
    [InlineData("orders", "order")]
    [InlineData("shipped", "ship")]
    [InlineData("shipping", "ship")]
    [InlineData("charged", "charg")]
    [InlineData("status", "status")]
    [InlineData("calls", "call")]
    public void English_content_words_are_stemmed(string word, string stem) => Assert.Equal([stem], Content(word));

    [Fact]
    public void English_stop_words_are_function_words()
    {
        Assert.Equal(["help", "return"], Content("Can you please help me with my return?"));
        Assert.Contains("please", Function("Can you please help me"));
    }

    [Theory]
    [InlineData("my order hasn't arrived")]
    [InlineData("my order hasn’t arrived")]
    [InlineData("my order has not arrived")]
    [InlineData("my order hasnt arrived")]
    public void English_negations_become_one_word(string text) => Assert.Equal(["order", "not", "arriv"], Content(text));

    [Theory]
    [InlineData("荷物が届かない")]
    [InlineData("荷物がまだ届いてない")]
    [InlineData("荷物が届きません")]
    [InlineData("荷物が届いていなかった")]
    public void Japanese_negations_after_a_stem_share_one_word(string text)
    {
        Assert.Contains(TextSegmenter.JapaneseNegation, Content(text));
        Assert.Contains("届", Content(text));
    }

    [Theory]
    [InlineData("ログインできない")]
    [InlineData("キャンセルできませんでした")]
    public void A_negation_after_a_katakana_word_is_the_same_word(string text) => Assert.Contains(TextSegmenter.JapaneseNegation, Content(text));

    [Fact]
    public void An_affirmative_verb_has_no_negation() => Assert.DoesNotContain(TextSegmenter.JapaneseNegation, Content("荷物はいつ届きますか"));

    [Fact]
    public void Like_as_in_id_like_to_is_a_function_word() => Assert.Equal(["return", "item"], Content("I'd like to return an item"));

    [Fact]
    public void Apostrophes_split_english_words() => Assert.Equal(["where", "order"], Content("where's my order"));

    [Theory]
    [InlineData("担当者をお願いします")]
    [InlineData("荷物の追跡をお願いします")]
    public void The_object_particle_is_split_off_even_before_one_character(string text)
    {
        // 「をお」 was a content word every 「…をお願いします」 shared, whatever was asked for.
        Assert.Contains("を", Function(text));
        Assert.DoesNotContain(Content(text), w => w.StartsWith('を'));
    }

    [Fact]
    public void Other_particles_still_need_two_characters_left() => Assert.Contains("もう", Content("発送もう済みましたか"));
}
