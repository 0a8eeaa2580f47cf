using ScenarioKit.Language.Diagnostics;

namespace ScenarioKit.Language.Tests.Binding;

/// <summary>One run reports schema errors together with reference and expression errors (issue 3: "all errors are reported in one run").</summary>
public class SchemaRecoveryTests
{
    const string Header = """
        scenarioKit: 1
        id: demo
        version: 1.0.0
        locale: en-US
        variables: { order.number: string }
        intents: { order_status: { examples: [where is my order, track my parcel, has my order shipped, when will my package arrive, order status please] } }

        """;

    static CompilationResult Compile(string yaml) => ScenarioCompiler.CompileText(yaml, "s.yaml", TestPaths.English);

    static string Lines(CompilationResult r) => DiagnosticFormatter.FormatLines(r.Diagnostics);

    [Fact]
    public void Misspelt_key_unknown_intent_and_bad_expression_are_all_reported_once()
    {
        var result = Compile(Header + """
            flows:
              order:
                trigger: { intent: order_statu }
                steps:
                  - ask: order.number
                    promt: "Order number?"
                  - if: "order.number ==="
                    then: [ { say: "ok" } ]
            """);
        Assert.Null(result.Package);
        Assert.Equal(["SK3003", "SK2003", "SK4001"], result.Diagnostics.Select(d => d.Id));
        // The misspelt key is reported once; the ask whose prompt it was meant to be gets no second "no prompt" error.
        Assert.DoesNotContain(result.Diagnostics, d => d.Id == "SK3011");
    }

    [Fact]
    public void A_reference_inside_a_step_with_a_schema_error_is_still_checked()
    {
        var result = Compile(Header + """
            flows:
              order:
                trigger: { intent: order_status }
                steps:
                  - if: "order.numbr == ''"
            """);
        Assert.Equal(["SK2002", "SK3002"], result.Diagnostics.Select(d => d.Id));
        Assert.Contains("'order.numbr'", result.Diagnostics[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Using_a_definition_with_a_wrong_shape_is_not_also_unknown()
    {
        var result = Compile("""
            scenarioKit: 1
            id: demo
            version: 1.0.0
            locale: en-US
            variables: { tier: { type: strng } }
            intents: { greet: hello }
            actions: { lookup: 42 }
            flows:
              hello:
                trigger: { intent: greet }
                steps:
                  - { if: "tier === 'gold'", then: [ { say: "Welcome back." } ] }
                  - call: lookup
                  - goto: { flow: bye }
              bye: oops
            """);
        Assert.DoesNotContain(result.Diagnostics, d => d.Id is "SK3002" or "SK3003" or "SK3004" or "SK3005");
        Assert.All(result.Diagnostics, d => Assert.StartsWith("SK2", d.Id, StringComparison.Ordinal));
        // Only the four definitions are reported (flows.bye twice by the schema: not a mapping, no steps).
        Assert.Equal([5, 6, 7, 15], result.Diagnostics.Select(d => d.Span.Line).Distinct());
    }

    [Fact]
    public void Structural_findings_away_from_the_schema_error_are_kept()
    {
        var result = Compile(Header + """
            flows:
              order:
                trigger: { intent: order_status }
                description: 42
                steps:
                  - end: true
                  - say: "never"
            """);
        Assert.Contains(result.Diagnostics, d => d.Id == "SK2001");
        Assert.Contains(result.Diagnostics, d => d.Id == "SK3010");
    }

    [Fact]
    public void A_flow_with_a_broken_trigger_is_not_also_unreachable()
    {
        var result = Compile(Header + """
            flows:
              order:
                trigger: { intnet: order_status }
                steps: [ { say: "hi" } ]
            """);
        Assert.DoesNotContain(result.Diagnostics, d => d.Id == "SK3008");
        Assert.Contains(result.Diagnostics, d => d.Id == "SK2003");
    }

    [Fact]
    public void No_span_gets_two_diagnostics_from_schema_and_binder()
    {
        var result = Compile(Header + """
            recognizer: { threshold: 2 }
            flows:
              order:
                trigger: { intent: order_status }
                steps:
                  - { if: "", then: [ { say: 1 } ] }
                  - { ask: order.number, prompt: "", expect: { type: nmber } }
            """);
        Assert.NotEmpty(result.Diagnostics);
        var bySpan = result.Diagnostics.GroupBy(d => d.Span).Where(g => g.Count() > 1).ToList();
        Assert.True(bySpan.Count == 0, Lines(result));
    }
}
