using ScenarioKit.Model.Text;

namespace ScenarioKit.Engine.Tests.Text;

/// <summary>Romaji as Japanese customers type it, read as hiragana (issue 12).</summary>
public sealed class RomajiTests
{
    [Theory]
    [InlineData("henpin", "へんぴん")]
    [InlineData("dekimasu", "できます")]
    [InlineData("chuumon", "ちゅうもん")]        // Hepburn
    [InlineData("tyuumon", "ちゅうもん")]        // Kunrei
    [InlineData("shiharai", "しはらい")]
    [InlineData("siharai", "しはらい")]
    [InlineData("kyanseru", "きゃんせる")]
    [InlineData("tsuika", "ついか")]
    [InlineData("zasshi", "ざっし")]             // doubled consonant: small tsu
    [InlineData("matcha", "まっちゃ")]
    [InlineData("konnichiwa", "こんにちわ")]     // nn before a vowel is one ん
    [InlineData("kon'nichiwa", "こんにちわ")]
    [InlineData("zenn", "ぜん")]
    [InlineData("shimbun", "しんぶん")]          // m before b
    [InlineData("hon'ya", "ほんや")]
    [InlineData("konyaku", "こにゃく")]
    [InlineData("wo", "を")]
    [InlineData("fairu", "ふぁいる")]
    [InlineData("tōkyō", "とうきょう")]          // macrons
    public void Romaji_reads_as_hiragana(string romaji, string kana) => Assert.Equal(kana, Romaji.ToKana(romaji));

    [Theory]
    [InlineData("return")]
    [InlineData("damaged")]
    [InlineData("help")]
    [InlineData("order")]
    [InlineData("x")]
    [InlineData("café")]     // a letter with an accent that is no long vowel
    [InlineData("")]
    public void A_word_that_does_not_fit_the_syllables_is_not_romaji(string word) => Assert.Null(Romaji.ToKana(word));
}
