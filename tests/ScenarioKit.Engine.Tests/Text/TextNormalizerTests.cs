using ScenarioKit.Engine.Text;

namespace ScenarioKit.Engine.Tests.Text;

public sealed class TextNormalizerTests
{
    [Theory]
    [InlineData("１２３４５６７８", "12345678")]
    [InlineData("ＡＢＣ", "ABC")]
    [InlineData("ｵﾍﾟﾚｰﾀｰ", "オペレーター")]
    [InlineData("　全角スペース　", "全角スペース")]
    [InlineData("  hello \n", "hello")]
    [InlineData("ｶﾞｷﾞｸﾞ", "ガギグ")]
    public void Nfkc_and_trim(string input, string expected) => Assert.Equal(expected, TextNormalizer.Normalize(input));

    [Fact]
    public void A_lone_surrogate_becomes_a_replacement_character_instead_of_failing()
    {
        // Built in code: theory data would lose the lone surrogates on their way through the test platform.
        const char High = '\uD83D', Low = '\uDE00', Replacement = '\uFFFD';
        Assert.Equal($"注文{Replacement}", TextNormalizer.Normalize($"注文{High}"));
        Assert.Equal($"{Replacement}注文", TextNormalizer.Normalize($"{Low}注文"));
        Assert.Equal($"a{Replacement}{Replacement}b", TextNormalizer.Normalize($"a{Low}{High}b"));
        Assert.Equal($"オペレーター{High}{Low}", TextNormalizer.Normalize($"ｵﾍﾟﾚｰﾀｰ{High}{Low}"));
    }

    [Theory]
    [InlineData("Where IS My ORDER", "where is my order")]
    [InlineData("ＨＥＬＬＯ", "hello")]
    [InlineData("注文ＡＢＣ", "注文abc")]
    public void Fold_lowers_latin(string input, string expected) => Assert.Equal(expected, TextNormalizer.NormalizeAndFold(input));

    [Fact]
    public void Transcript_keeps_the_original_text()
    {
        var chat = new Support.Chat(Support.B.Load(Support.ReferenceModel.Build()));
        chat.User("  ＨＥＬＬＯ  ");
        Assert.Equal("ＨＥＬＬＯ", chat.State.Transcript[0].Text);
        Assert.Equal(Support.ReferenceModel.Greeting, chat.State.Transcript[1].Text);
    }
}
