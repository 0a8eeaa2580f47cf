namespace ScenarioKit.Language.Tests.Binding;

public class UnknownVariableMessageTests
{
    static string[] Messages(string step, string language = "en")
    {
        var yaml = $$"""
            scenarioKit: 1
            id: demo
            version: 1.0.0
            locale: en-US
            variables: { order.number: string, order.status: string, name: string }
            intents: { greet: { examples: [a1, b2, c3, d4, e5] } }
            flows:
              hello:
                trigger: { intent: greet }
                steps:
                  {{step}}
            """;
        var options = language == "ja" ? TestPaths.English with { Language = "ja" } : TestPaths.English;
        return [.. ScenarioCompiler.CompileText(yaml, "s.yaml", options).Diagnostics.Where(d => d.Id == "SK3002").Select(d => d.Message)];
    }

    [Theory]
    [InlineData("- say: \"${order.numbr}\"")]
    [InlineData("- { if: \"order.numbr == ''\", then: [ { say: hi } ] }")]
    [InlineData("- { if: \"order.numbr.length > 0\", then: [ { say: hi } ] }")]
    [InlineData("- say: \"${order?.numbr}\"")]
    [InlineData("- { ask: order.numbr, prompt: \"Your order number?\" }")]
    [InlineData("- set: { order.numbr: \"A-1\" }")]
    public void Names_the_whole_dotted_path_and_suggests_the_declared_variable(string step)
    {
        var message = Assert.Single(Messages(step));
        Assert.Equal("unknown variable 'order.numbr'; did you mean 'order.number'?", message);
    }

    [Fact]
    public void Japanese_message_names_the_whole_path_too()
    {
        var message = Assert.Single(Messages("- say: \"${order.numbr}\"", "ja"));
        Assert.Equal("未定義の変数 'order.numbr' です。'order.number' のことですか？", message);
    }

    [Fact]
    public void An_undeclared_root_is_named_alone()
    {
        var message = Assert.Single(Messages("- say: \"${nmae.first}\""));
        Assert.Equal("unknown variable 'nmae'; did you mean 'name'?", message);
    }
}
