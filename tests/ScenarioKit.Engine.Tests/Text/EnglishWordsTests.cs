using ScenarioKit.Model;
using ScenarioKit.Model.Text;

namespace ScenarioKit.Engine.Tests.Text;

/// <summary>English word forms that meet (issue 12, session 6): spellings, informal forms, compounds, derivations.</summary>
public sealed class EnglishWordsTests
{
    static string[] Content(string text) =>
        [.. TextSegmenter.Segment(MatchText.NormalizeAndFold(text)).Terms.Where(t => !t.IsFunction).Select(t => t.Text)];

    [Theory]
    [InlineData("colour", "color")]
    [InlineData("colours", "colors")]
    [InlineData("favourite", "favorite")]
    [InlineData("neighbourhood", "neighborhood")]
    [InlineData("recognise", "recognize")]
    [InlineData("recognised", "recognized")]
    [InlineData("organisation", "organization")]
    [InlineData("apologising", "apologizing")]
    [InlineData("analyse", "analyze")]
    [InlineData("centre", "center")]
    [InlineData("centres", "centers")]
    [InlineData("metre", "meter")]
    [InlineData("fibre", "fiber")]
    [InlineData("licence", "license")]
    [InlineData("enquiry", "inquiry")]
    [InlineData("programme", "program")]
    public void British_spellings_fold_to_american(string british, string american) => Assert.Equal(american, EnglishWords.ToAmerican(british));

    [Theory]
    [InlineData("our")]
    [InlineData("your")]
    [InlineData("hour")]
    [InlineData("four")]
    [InlineData("tours")]
    [InlineData("course")]
    [InlineData("rise")]
    [InlineData("noise")]
    [InlineData("raise")]
    [InlineData("acre")]
    [InlineData("genre")]
    [InlineData("cheque")]
    [InlineData("there")]
    public void Words_that_only_look_british_are_kept(string word) => Assert.Equal(word, EnglishWords.ToAmerican(word));

    [Theory]
    [InlineData("cancelled", "canceled", "cancelling", "cancel")]
    [InlineData("delivered", "deliver", "delivering", "delivers")]
    [InlineData("connects", "connected", "connecting", "connect")]
    [InlineData("arrives", "arrive", "arrived", "arriving")]
    [InlineData("charges", "charged", "charge", "charging")]
    [InlineData("recognise", "recognize", "recognised", "recognized")]
    [InlineData("colour", "color", "colours", "colored")]
    public void Forms_of_a_word_share_one_stem(params string[] forms) => Assert.Single(forms.Select(EnglishWords.Stem).Distinct());

    [Theory]
    [InlineData("bill", "billion")]
    [InlineData("plan", "planet")]
    [InlineData("return", "retune")]
    [InlineData("check", "cheque")]
    [InlineData("even", "event")]
    public void Different_words_keep_apart(string a, string b) => Assert.NotEqual(EnglishWords.Stem(a), EnglishWords.Stem(b));

    [Theory]
    [InlineData("pls call me", "please call me")]
    [InlineData("thx", "thanks")]
    [InlineData("ta very much", "thanks very much")]
    [InlineData("hiya", "hi")]
    [InlineData("cya", "bye")]
    [InlineData("i wanna cancel", "i want to cancel")]
    [InlineData("i dunno my password", "i don't know my password")]
    [InlineData("can u help", "can you help")]
    [InlineData("whats ur address", "whats your address")]
    public void Informal_forms_read_as_the_words_they_stand_for(string informal, string plain) => Assert.Equal(Content(plain), Content(informal));

    [Theory]
    [InlineData("i cannot log in", "i cannot login")]
    [InlineData("i cannot log-in", "i cannot login")]
    [InlineData("how do i sign up", "how do i signup")]
    [InlineData("sign-up", "signup")]
    [InlineData("set up my router", "setup my router")]
    [InlineData("send me an e-mail", "send me an email")]
    [InlineData("the wi-fi is down", "the wifi is down")]
    [InlineData("top up my phone", "top-up my phone")]
    public void Open_and_hyphenated_compounds_meet_the_closed_word(string open, string closed) => Assert.Equal(Content(closed), Content(open));

    [Fact]
    public void A_compound_is_one_term_over_both_words_and_keywords_still_find_each_part()
    {
        var text = TextSegmenter.Segment(MatchText.NormalizeAndFold("log in now"));
        var login = Assert.Single(text.Terms, t => t.Text == "login");
        Assert.Equal((0, 6), (login.Start, login.Length));
        Assert.True(WordPattern.Parse("log").IsIn(text));
        Assert.True(WordPattern.Parse("in now").IsIn(text));
    }

    [Theory]
    [InlineData("log the fault in", "log")]
    [InlineData("call back later", "call")]
    [InlineData("check out the deals", "check")]
    public void Words_that_make_no_listed_compound_stay_apart(string text, string word) => Assert.Contains(word, Content(text));
}
