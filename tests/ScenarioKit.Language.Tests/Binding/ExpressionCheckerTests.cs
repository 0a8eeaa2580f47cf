namespace ScenarioKit.Language.Tests.Binding;

public class ExpressionCheckerTests
{
    static string[] Ids(string steps, string extra = "")
    {
        var yaml = $"""
            scenarioKit: 1
            id: demo
            version: 1.0.0
            locale: en-US
            variables: {"{"} order.number: string, order.status: string, cart.total: number, profile: object {"}"}
            intents: {"{"} greet: {"{"} examples: [a1, b2, c3, d4, e5] {"}"} {"}"}
            {extra}
            flows:
              hello:
                trigger: {"{"} intent: greet {"}"}
                steps:
            {steps}
            """;
        return [.. ScenarioCompiler.CompileText(yaml, "s.yaml", TestPaths.English).Diagnostics.Select(d => d.Id)];
    }

    [Theory]
    [InlineData("""    - if: "order.status?.length > 0 && profile.name != null" """)]
    [InlineData("""    - if: "({ a: 1, b: cart.total }).a === 1" """)]
    [InlineData("""    - if: "Math.max(cart.total, 1) > 2 && JSON.stringify(order) != '' && text.startsWith('a')" """)]
    [InlineData("""    - say: "${`合計 ${cart.total * 1.1} 円`}" """)]
    [InlineData("""    - say: "${ {x: 1}.x }" """)]
    [InlineData("""    - say: "${ '}' + order.number }" """)]
    [InlineData("""    - if: "stage == 'cart' && intent?.digitalFit == 'low' && conversation.fallbackStreak >= 2 && event == null" """)]
    public void Valid_expressions_compile_clean(string step) => Assert.Empty(Ids(Step(step)));

    [Theory]
    [InlineData("""    - if: "cart.total++ > 1" """, "SK4003")]
    [InlineData("""    - if: "delete profile.name" """, "SK4003")]
    [InlineData("""    - if: "(function () { return 1; })()" """, "SK4003")]
    [InlineData("""    - if: "cart.total >" """, "SK4001")]
    [InlineData("""    - if: "ask.attempt > 1" """, "SK3002")]
    [InlineData("""    - if: "order.nmber == ''" """, "SK3002")]
    [InlineData("""    - if: "ordr.number == ''" """, "SK3002")]
    public void Invalid_expressions_are_reported(string step, string id) =>
        Assert.Contains(id, Ids(Step(step)));

    /// <summary>Indents the step under 'steps:'; an 'if' gets a 'then'.</summary>
    static string Step(string step) =>
        "  " + step.TrimEnd() + (step.Contains("- if:", StringComparison.Ordinal) ? "\n        then: [ { say: ok } ]" : "");

    [Fact]
    public void Ask_is_in_scope_inside_retry_only()
    {
        Assert.Empty(Ids("""
                  - ask: order.number
                    prompt: "number?"
                    expect: { pattern: '[0-9]{8}' }
                    retry: "again (${ask.retriesLeft} left)"
            """));
    }

    [Fact]
    public void Http_templates_see_their_params_and_may_start_with_a_hole()
    {
        Assert.Empty(Ids("""
                  - call: lookup
                    with: { host: "https://shop.example", number: "${order.number}" }
                    into: order.status
            """, """
            actions:
              lookup: { params: [host, number], http: { url: "${host}/api/orders/${number}" } }
            """));
    }
}
