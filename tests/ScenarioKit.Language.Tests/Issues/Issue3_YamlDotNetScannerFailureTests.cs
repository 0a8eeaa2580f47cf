using ScenarioKit.Language.Diagnostics;

namespace ScenarioKit.Language.Tests.Issues;

/// <summary>
/// Issue 3 ("no user input, however broken, produces a stack trace"): RobustnessTests found that
/// YamlDotNet's scanner throws InvalidOperationException (not YamlException) on an unclosed flow
/// mapping followed by a sequence item. It must be SK1001, not SK1000 or a crash.
/// </summary>
public class Issue3_YamlDotNetScannerFailureTests
{
    [Theory]
    [InlineData("- { v: x\n- \"b\"\n")]
    [InlineData("a:\n  - { value: 1e400\n  - b\n")]
    public void Unclosed_flow_mapping_is_a_yaml_syntax_error(string yaml)
    {
        var result = ScenarioCompiler.CompileText(yaml, "s.yaml", TestPaths.English);
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal(DiagnosticCatalog.YamlSyntax.Id, d.Id);
        Assert.True(d.Span.Line >= 1);
    }
}
