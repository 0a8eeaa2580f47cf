using ScenarioKit.Engine.Recognition;
using ScenarioKit.Model;
using ScenarioKit.Model.Text;

namespace ScenarioKit.Engine.Tests.Recognition;

/// <summary>English typo tolerance (issue 12): one edit from a word the examples have for words of five letters or more, a letter left out for four.</summary>
public sealed class TypoCorrectorTests
{
    static SegmentedText Segment(string text) => TextSegmenter.Segment(MatchText.NormalizeAndFold(text));

    static readonly TypoCorrector Corrector = TypoCorrector.Build(
    [
        [Segment("I'd like to return an item"), Segment("can I return a gift")],
        [Segment("My internet is down"), Segment("speak to a representative")],
        [Segment("what is my bill"), Segment("where is my order")],
    ]);

    static string? Correct(string word)
    {
        var text = Segment(word);
        return Corrector.Correct(text, text.Terms.Single());
    }

    [Theory]
    [InlineData("retrun", "return")]           // two neighbours swapped
    [InlineData("intenet", "internet")]        // a letter left out
    [InlineData("internnet", "internet")]      // a letter added
    [InlineData("representitive", "representativ")] // a letter changed (stems compared)
    [InlineData("oder", "order")]              // four letters: only a letter left out
    [InlineData("ordr", "order")]
    public void A_word_one_edit_from_a_known_word_is_read_as_it(string typed, string meant) => Assert.Equal(meant, Correct(typed));

    [Theory]
    [InlineData("return")]   // known
    [InlineData("bil")]      // short words are never corrected
    [InlineData("bull")]     // four letters changed are not corrected ("bill")
    [InlineData("weather")]  // not one edit from any known word
    [InlineData("oderr")]    // two edits from "order"
    public void Known_short_and_distant_words_are_left_alone(string typed) => Assert.Null(Correct(typed));

    [Fact]
    public void Japanese_is_not_corrected()
    {
        var text = Segment("返本");
        Assert.Null(TypoCorrector.Build([[Segment("返品したい")]]).Correct(text, text.Terms[0]));
    }

    [Fact]
    public void Words_are_compared_as_typed_not_as_stems()
    {
        // "greetings" stems to "greet", one letter from "great": as typed they are four apart.
        var greetings = TypoCorrector.Build([[Segment("greetings")], [Segment("where is my order")]]);
        var text = Segment("great");
        Assert.Null(greetings.Correct(text, text.Terms.Single()));
    }

    [Theory]
    [InlineData("colour")]
    [InlineData("color")]
    public void British_and_american_spellings_are_no_typos_of_each_other(string typed)
    {
        var corrector = TypoCorrector.Build([[Segment("what colour is it")], [Segment("where is my order")]]);
        var text = Segment(typed);
        Assert.Null(corrector.Correct(text, text.Terms.Single()));
    }
}
