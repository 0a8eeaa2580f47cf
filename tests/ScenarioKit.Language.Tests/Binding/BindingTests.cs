using ScenarioKit.Language.Binding;
using ScenarioKit.Model;

namespace ScenarioKit.Language.Tests.Binding;

public class BindingTests
{
    const string Header = "scenarioKit: 1\nid: demo\nversion: 1.0.0\nlocale: ja-JP\n";

    internal static ScenarioModel Compile(string yaml)
    {
        var result = ScenarioCompiler.CompileText(Header + yaml, "s.yaml", TestPaths.English);
        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        return result.Package!.Model;
    }

    [Fact]
    public void Step_ids_are_stable_paths_through_nested_lists()
    {
        var model = Compile("""
            variables: { n: integer }
            intents: { greet: { examples: [a1, b2, c3, d4, e5] } }
            handoff: { queues: { support: { hours: "24/7", timezone: UTC } } }
            flows:
              hello:
                trigger: { intent: greet }
                steps:
                  - ask: n
                    prompt: "?"
                    expect: { type: integer }
                    onFail: { handoff: support }
                  - say: hi
                  - if: "n == 1"
                    then:
                      - say: one
                    else:
                      - say: other
                      - end: true
            """);
        var steps = model.Flows.Single().Steps;
        Assert.Equal(["hello/0", "hello/1", "hello/2"], steps.Select(s => s.Id));
        Assert.Equal("hello/0/onFail/0", ((AskStep)steps[0]).OnFail.Single().Id);
        var branch = (IfStep)steps[2];
        Assert.Equal("hello/2/then/0", branch.Then.Single().Id);
        Assert.Equal(["hello/2/else/0", "hello/2/else/1"], branch.Else.Select(s => s.Id));
        Assert.Equal(ExpectKind.Integer, ((AskStep)steps[0]).Expect.Kind);
        Assert.Equal(3, ((AskStep)steps[0]).MaxAttempts);
    }

    [Fact]
    public void Templates_split_into_text_and_expressions_with_spans_and_escape()
    {
        var model = Compile("""
            variables: { order.number: string }
            intents: { greet: { examples: [a1, b2, c3, d4, e5] } }
            flows:
              hello:
                trigger: { intent: greet }
                steps:
                  - say: "ご注文 ${order.number} は $${literal} です"
            """);
        var template = ((SayStep)model.Flows[0].Steps[0]).Message.Variations.Single();
        Assert.Equal(3, template.Parts.Length);
        Assert.Equal("ご注文 ", template.Parts[0].Text);
        Assert.Equal("order.number", template.Parts[1].Expression!.Source);
        Assert.Equal(" は ${literal} です", template.Parts[2].Text);
        var span = template.Parts[1].Expression!.Span;
        // Line 11 of the compiled text: '      - say: "ご注文 ${order.number}…'; the expression starts after '${'.
        Assert.Equal((11, 21, 11, 33), (span.Line, span.Column, span.EndLine, span.EndColumn));
    }

    [Fact]
    public void Message_forms_string_list_and_mapping_with_suggestions()
    {
        var model = Compile("""
            welcome: ["こんにちは", "いらっしゃいませ"]
            fallback: { text: "もう一度お願いします", suggest: [注文状況, 返品] }
            """);
        Assert.Equal(2, model.Welcome!.Variations.Length);
        Assert.Equal(["注文状況", "返品"], model.Fallback!.Suggestions.Select(s => s.Source));
    }

    [Fact]
    public void Yaml_12_core_schema_keeps_on_yes_and_versions_as_text()
    {
        var model = Compile("""
            variables:
              a: { type: string, enum: [on, yes, "123"], default: on }
              b: { type: integer, default: 0x1F }
              c: { type: boolean, default: false }
            """);
        Assert.Equal(["on", "yes", "123"], model.Variables[0].Enum.Select(e => e.GetString()));
        Assert.Equal(31, model.Variables[1].Default!.Value.GetInt32());
        Assert.False(model.Variables[2].Default!.Value.GetBoolean());
    }

    [Fact]
    public void Queue_hours_become_opening_windows_in_Monday_first_order()
    {
        Assert.True(HoursParser.TryParse("Mon-Fri 09:00-18:00; Sat 10:00-24:00", out var windows, out _));
        Assert.Equal(6, windows.Length);
        Assert.Equal(new OpeningWindow(DayOfWeek.Monday, TimeSpan.FromHours(9), TimeSpan.FromHours(18)), windows[0]);
        Assert.Equal(new OpeningWindow(DayOfWeek.Saturday, TimeSpan.FromHours(10), TimeSpan.FromHours(24)), windows[5]);
        Assert.True(HoursParser.TryParse("24/7", out var always, out _));
        Assert.Equal(7, always.Length);
        Assert.True(HoursParser.TryParse("Fri-Mon 10:00-12:00", out var wrap, out _));
        Assert.Equal([DayOfWeek.Monday, DayOfWeek.Friday, DayOfWeek.Saturday, DayOfWeek.Sunday], wrap.Select(w => w.Day));
        Assert.False(HoursParser.TryParse("Mon 18:00-09:00", out _, out _));
        Assert.False(HoursParser.TryParse("Mon 09:00-25:00", out _, out _));
    }

    [Theory]
    [InlineData("30s", 30)]
    [InlineData("10m", 600)]
    [InlineData("2h", 7200)]
    [InlineData("1d", 86400)]
    [InlineData("1h30m", 5400)]
    public void Durations_parse(string text, int seconds)
    {
        Assert.True(DurationParser.TryParse(text, out var d));
        Assert.Equal(TimeSpan.FromSeconds(seconds), d);
    }

    [Theory]
    [InlineData("")]
    [InlineData("0s")]
    [InlineData("10")]
    [InlineData("m10")]
    [InlineData("30m1h")]
    [InlineData("400d")]
    public void Bad_durations_are_rejected(string text) => Assert.False(DurationParser.TryParse(text, out _));

    [Fact]
    public void Proactive_cap_defaults_to_once_per_conversation_and_cooldown_parses()
    {
        var model = Compile("""
            journey:
              - stage: browsing
                proactive:
                  - { id: a, on: { event: page_dwell }, say: "?" }
                  - { id: b, on: { event: idle }, say: "!", cap: { cooldown: 10m } }
            """);
        var rules = model.Journey[0].Proactive;
        Assert.Equal(CapKind.OncePerConversation, rules[0].Cap.Kind);
        Assert.Equal(new Cap(CapKind.Cooldown, TimeSpan.FromMinutes(10)), rules[1].Cap);
    }

    [Fact]
    public void Set_keeps_literals_typed_and_templates_as_templates()
    {
        var model = Compile("""
            variables: { cart.total: number, note: string, flag: boolean }
            intents: { greet: { examples: [a1, b2, c3, d4, e5] } }
            flows:
              hello:
                trigger: { intent: greet }
                steps:
                  - set: { cart.total: 5, note: "plain", flag: true }
                  - set: { cart.total: "${cart.total * 2}" }
            """);
        var first = (SetStep)model.Flows[0].Steps[0];
        Assert.Equal(5, first.Assignments[0].Literal!.Value.GetInt32());
        Assert.Equal("plain", first.Assignments[1].Literal!.Value.GetString());
        Assert.True(first.Assignments[2].Literal!.Value.GetBoolean());
        var second = (SetStep)model.Flows[0].Steps[1];
        Assert.Null(second.Assignments[0].Literal);
        Assert.Equal("cart.total * 2", second.Assignments[0].Value!.Parts.Single().Expression!.Source);
    }

    [Fact]
    public void Folder_scenario_spans_are_relative_with_forward_slashes_and_files_sorted()
    {
        var result = ScenarioCompiler.Compile(Path.Combine(TestPaths.RepositoryRoot, "scenarios", "retail-support"), TestPaths.English);
        Assert.True(result.Success);
        var model = result.Package!.Model;
        Assert.Equal(model.SourceFiles.Order(StringComparer.Ordinal), model.SourceFiles);
        Assert.Contains(model.SourceFiles, f => f.StartsWith("flows/", StringComparison.Ordinal));
        Assert.All(model.Flows, f => Assert.DoesNotContain('\\', f.Span.File));
        Assert.All(model.Flows, f => Assert.Contains(f.Span.File, model.SourceFiles));
    }
}

public class EveryKeyTests
{
    [Fact]
    public void A_scenario_using_every_key_of_the_language_compiles_clean()
    {
        var result = ScenarioCompiler.Compile(TestPaths.Fixture("Valid", "every-key.yaml"), TestPaths.English);
        Assert.True(result.Diagnostics.IsEmpty, string.Join("\n", result.Diagnostics));
        var model = result.Package!.Model;
        Assert.Equal(2, model.Flows.Length);
        Assert.Equal("UTC", model.Handoff.Queues.Single(q => q.Name == "sales").TimeZone);
        Assert.Equal(["orderNumber", "total"], model.Handoff.Share.Select(s => s.Key));
        Assert.Equal(VariableScope.User, model.Variables[0].Scope);
        Assert.False(model.Recognizer.Lexicon);
        Assert.Equal(["human"], model.Intents.Where(i => i.RulesDecide).Select(i => i.Name));
    }
}

public class RegexRiskTests
{
    [Theory]
    [InlineData(@"^(\w+\s?)+$", true)]
    [InlineData(@"(a+)+b", true)]
    [InlineData(@"(.*a)*", true)]
    [InlineData(@"(x|y+)*z", true)]
    [InlineData(@"((a+)b)+", true)]
    [InlineData(@"(?:\d+)+", true)]
    [InlineData(@"(a{2,})+", true)]
    [InlineData(@"^\w+(\s\w+)*$", false)]
    [InlineData(@"^\d{8}$", false)]
    [InlineData(@"注文.*(状況|どこ|届)", false)]
    [InlineData(@"(ab+)+", false)]
    [InlineData(@"(a+)?b", false)]
    [InlineData(@"[(+]+", false)]
    [InlineData(@"(?<year>\d{4})-(?<month>\d{2})", false)]
    public void Nested_unbounded_repetition_is_flagged(string pattern, bool risky) =>
        Assert.Equal(risky, ScenarioKit.Language.Binding.RegexRisk.FindNestedQuantifier(pattern) is not null);
}

public class PartFileVocabularyTests
{
    /// <summary>Issue 12: a designer keeps synonyms beside the intents that need them (intents/*.yaml); all files make one vocabulary.</summary>
    [Fact]
    public void Vocabulary_in_an_intents_part_file_joins_the_scenario_vocabulary()
    {
        var dir = Directory.CreateTempSubdirectory("sk-vocabulary-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "scenario.yaml"), """
                scenarioKit: 1
                id: demo
                version: 1.0.0
                locale: ja-JP
                vocabulary:
                  電話: [でんわ]
                flows:
                  returns:
                    trigger: { intent: returns }
                    steps:
                      - say: 返品を承ります
                """);
            Directory.CreateDirectory(Path.Combine(dir, "intents"));
            File.WriteAllText(Path.Combine(dir, "intents", "returns.yaml"), """
                intents:
                  returns: { examples: [返金してほしい, 返品したい, 商品を返したい, 交換できますか, 返品の方法を教えて] }
                vocabulary:
                  返金: [払い戻し]
                """);
            var result = ScenarioCompiler.Compile(dir, TestPaths.English);
            Assert.True(result.Diagnostics.IsEmpty, string.Join("\n", result.Diagnostics));
            Assert.Equal(["電話", "返金"], result.Package!.Model.Vocabulary.Select(v => v.Term));
            Assert.Equal("intents/returns.yaml", result.Package.Model.Vocabulary[1].Span.File);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
