using ScenarioKit.Language.Diagnostics;

namespace ScenarioKit.Language.Tests.Issues;

/// <summary>
/// Issue 10 item 3: an HTTP action whose URL used <c>${number}</c> that no <c>call … with:</c> passed got
/// SK3002 "unknown variable — declare it under variables:", wrong advice. HTTP actions declare <c>params</c>
/// like scripts; a missing one is SK3031 naming the action, the name and what the calls pass; a file
/// without <c>params</c> still compiles, with SK3032 listing the params to declare.
/// </summary>
public class Issue10_HttpActionParamsTests
{
    static CompilationResult Compile(string actionAndCall) =>
        ScenarioCompiler.CompileText($$"""
            scenarioKit: 1
            id: demo
            version: 1.0.0
            locale: en-US
            variables:
              order.number: { type: string }
            intents:
              hi: { examples: [hello, hi there, good morning, hey, good evening] }
            {{actionAndCall}}
            """, "s.yaml", TestPaths.English);

    const string FlowWith = """
        flows:
          hi:
            trigger: { intent: hi }
            steps:
              - call: lookupOrder
        """;

    [Fact]
    public void A_hole_no_call_passes_names_the_action_and_the_parameter_not_a_variable()
    {
        var result = Compile(FlowWith + "\nactions:\n  lookupOrder:\n    http: { url: \"https://shop.example/orders/${number}\" }\n");
        Assert.DoesNotContain(result.Diagnostics, d => d.Id == DiagnosticCatalog.UnknownVariable.Id);
        var missing = Assert.Single(result.Diagnostics, d => d.Id == DiagnosticCatalog.MissingActionParameter.Id);
        Assert.Equal("action 'lookupOrder' uses 'number', which is neither one of its parameters nor a variable: it declares no params and no call passes any; call steps: s.yaml(13,9) passes nothing", missing.Message);
        Assert.Equal((16, 49), (missing.Span.Line, missing.Span.Column));
        Assert.Contains(result.Diagnostics, d => d.Id == DiagnosticCatalog.UndeclaredHttpParams.Id && d.Message.Contains("params: [number]", StringComparison.Ordinal));
    }

    [Fact]
    public void Todays_file_without_params_compiles_with_a_warning_listing_the_params()
    {
        var result = Compile(FlowWith + "\n        with: { number: \"${order.number}\" }\nactions:\n  lookupOrder:\n    http: { url: \"https://shop.example/orders/${number}\" }\n");
        Assert.NotNull(result.Package);
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal((DiagnosticCatalog.UndeclaredHttpParams.Id, DiagnosticSeverity.Warning), (d.Id, d.Severity));
        Assert.EndsWith("add 'params: [number]'", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Declared_params_check_the_calls_too()
    {
        var result = Compile(FlowWith + "\n        with: { id: \"${order.number}\" }\nactions:\n  lookupOrder:\n    params: [number]\n    http: { url: \"https://shop.example/orders/${number}\" }\n");
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal(DiagnosticCatalog.UnknownArgument.Id, d.Id);
    }
}
