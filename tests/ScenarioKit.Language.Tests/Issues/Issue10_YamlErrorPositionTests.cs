using ScenarioKit.Language.Diagnostics;

namespace ScenarioKit.Language.Tests.Issues;

/// <summary>
/// Issue 10 item 2: a tab used for indentation was reported at (1,1), the start of the mapping being
/// scanned, not at the tab. Errors report the offending character (Golden/syntax/yaml-*.yaml has one
/// case per YamlDotNet message).
/// </summary>
public class Issue10_YamlErrorPositionTests
{
    [Theory]
    [InlineData("id: x\nflows:\n\tfoo: 1\n", 3, 1)]
    [InlineData("id: x\nflows:\n  a: 1\n\tb: 2\n", 4, 1)]
    [InlineData("a: b\n\t\n", 2, 1)]
    [InlineData("id: x\nwelcome: \"ok \\t then \\q\"\n", 2, 22)]
    [InlineData("id: x\nwelcome: \"\\u12\"\n", 2, 11)]
    public void A_syntax_error_points_at_the_offending_character(string yaml, int line, int column)
    {
        var d = Assert.Single(ScenarioCompiler.CompileText(yaml, "s.yaml", TestPaths.English).Diagnostics);
        Assert.Equal((DiagnosticCatalog.YamlSyntax.Id, line, column), (d.Id, d.Span.Line, d.Span.Column));
    }
}
