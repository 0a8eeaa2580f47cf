using ScenarioKit.Engine.Recognition;
using ScenarioKit.Engine.Tests.Samples;
using ScenarioKit.Engine.Tests.Support;

namespace ScenarioKit.Engine.Tests.Recognition;

/// <summary>
/// The out-of-scope test (issue 12, session 5; docs/engine.md "Out of scope"): a message that shares a word with an
/// intent but is mostly about something the scenario never mentions falls back instead of starting the wrong flow,
/// while customers' paraphrases that bring a new word or two stay recognised. Real sample scenarios, real wording
/// (scenarios/*/tests/intents.dev.accuracy.yaml).
/// </summary>
public sealed class OutOfScopeTests
{
    static readonly ScenarioRuntime Reference = ScenarioRuntime.Load(SampleScenarios.Compile("reference-support"));
    static readonly ScenarioRuntime Retail = ScenarioRuntime.Load(SampleScenarios.Compile("retail-support"));

    public static TheoryData<string, string, string> Rejected => new()
    {
        // by similarity: "package" and "return" meet the examples, the rest is about holidays and dogs
        { "reference-support", "the package holiday to Mexico was great", "mexico" },
        { "reference-support", "my dog keeps returning to the same spot in the yard", "yard" },
        // by a keyword: 「在庫」 is in 「在庫管理」, the job search is not the shop's business
        { "retail-support", "在庫管理の仕事を探しています", "仕事" },
    };

    [Fact]
    public void A_programming_question_that_shares_only_an_English_greeting_falls_back()
    {
        // 「hello」 alone no longer lifts it to the threshold since compounds count the scenario's own words; either way no intent.
        var turn = new Chat(RuntimeOf("retail-support")).User("Pythonでhello worldを書くには");
        Assert.Null(turn.Trace.Intent);
        Assert.True(turn.Trace.Fallback);
    }

    [Theory]
    [MemberData(nameof(Rejected))]
    public void A_message_mostly_unknown_to_the_scenario_falls_back_and_says_why(string scenario, string text, string unknownWord)
    {
        var runtime = RuntimeOf(scenario);
        var turn = new Chat(runtime).User(text);
        Assert.Null(turn.Trace.Intent);
        Assert.True(turn.Trace.Fallback);

        var explanation = runtime.ExplainRecognition(text);
        Assert.Null(explanation.Intent);
        var scope = Assert.IsType<ScopeAssessment>(explanation.OutOfScope);
        Assert.True(scope.UnknownShare > ScopeTest.Limit);
        Assert.Contains(unknownWord, scope.UnknownWords);
        // The nearest intent is still shown, so a designer sees what the message came close to.
        Assert.NotEmpty(explanation.Top);
        Assert.Contains(unknownWord, ScopeText.English(scope), StringComparison.Ordinal);
        Assert.StartsWith("内容の", ScopeText.Japanese(scope), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("reference-support", "i ordered a jacket last week, any update?", "order_status")]
    [InlineData("reference-support", "Item arrived broken, I want to send it back for a refund", "returns")]
    [InlineData("reference-support", "how long until my delivery gets here", "order_status")]
    [InlineData("reference-support", "stop the bot, i want a live agent", "handoff")]
    [InlineData("retail-support", "届いた商品が壊れていました", "delivery_problem")]
    [InlineData("retail-support", "箱がつぶれて中身が破損してた", "delivery_problem")]
    public void A_paraphrase_bringing_new_words_stays_recognised(string scenario, string text, string intent)
    {
        var runtime = RuntimeOf(scenario);
        Assert.Equal(intent, new Chat(runtime).User(text).Trace.Intent);
        var scope = runtime.ExplainRecognition(text).Scope;
        Assert.NotNull(scope);
        Assert.False(scope.OutOfScope);
    }

    [Fact]
    public void Generic_words_no_example_has_are_left_out_not_counted_unknown()
    {
        var scope = Reference.ExplainRecognition("how long until my delivery gets here").Scope!;
        Assert.DoesNotContain("how", scope.UnknownWords);
        Assert.DoesNotContain("gets", scope.UnknownWords);
        Assert.DoesNotContain("until", scope.UnknownWords);
        Assert.True(scope.UnknownShare < ScopeTest.Limit);
    }

    [Fact]
    public void One_unknown_word_beside_a_known_one_is_left_to_the_intent()
    {
        // "return these shoes" and "return of the jedi" have the same shape: one word the returns pattern names,
        // one word no example has. Words alone cannot tell them apart, so neither is rejected.
        Assert.Equal("returns", new Chat(Reference).User("I want to return these shoes").Trace.Intent);
        var jedi = Reference.ExplainRecognition("return of the jedi");
        Assert.Equal("returns", jedi.Intent);
        Assert.Equal(["jedi"], jedi.Scope!.UnknownWords);
        Assert.Null(jedi.OutOfScope);
    }

    [Fact]
    public void The_word_a_pattern_matched_counts_as_known_as_far_as_it_covers_a_japanese_compound()
    {
        // 「交換」 (the returns pattern's word) covers half of 「交換留学」; the other half is unknown.
        var scope = Retail.ExplainRecognition("交換留学について知りたい").Scope!;
        Assert.InRange(scope.UnknownShare, 0.01, 0.99);
    }

    [Fact]
    public void Numbers_and_function_words_alone_have_no_scope_to_judge()
    {
        Assert.Equal("greeting", Reference.ExplainRecognition("hello").Intent);
        Assert.Equal(0, Reference.ExplainRecognition("hello").Scope!.UnknownShare);
        Assert.Null(Reference.ExplainRecognition("12345678").OutOfScope);
    }

    static ScenarioRuntime RuntimeOf(string scenario) => scenario == "retail-support" ? Retail : Reference;
}
